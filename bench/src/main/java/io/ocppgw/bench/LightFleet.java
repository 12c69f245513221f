package io.ocppgw.bench;

import io.ocppgw.protocol.DecodeResult;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.websockets.client.WebSocketClient;
import io.undertow.websockets.client.WebSocketClientNegotiation;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.HdrHistogram.Recorder;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * Thousands of charge points on a few threads (Undertow's non-blocking WebSocket client), for the
 * connection benchmarks: each connects from a chosen source address, answers the CSMS's CALLs,
 * optionally sends a CALL of its own at an interval ({@link Calls}) and remembers which ones were answered (so a
 * benchmark can check that every acknowledged message is in the journal), and reconnects when its
 * socket closes, to one of the URLs at random (as behind a load balancer, which also stops sending to
 * a URL for {@link #DOWN_FOR} after it refused a connection, as a health-checking one would), with or
 * without back-off.
 */
public final class LightFleet implements AutoCloseable {

    /** How a charge point waits before connecting again. */
    public enum Backoff {
        /** Exponential from 1 s to 60 s with full jitter, as firmware should. */
        FIRMWARE,
        /** Again after 100 ms, every time: the worst case a gateway must survive. */
        NONE
    }

    /** What a charge point's own CALLs are. */
    public enum Calls {
        /** A Heartbeat every interval. */
        HEARTBEAT,
        /**
         * One 1.6 StartTransaction (the edge must answer it: responder {@code sequence}), then a MeterValues of
         * that transaction every interval, which reconciliation-streams turns into a transaction record each.
         */
        METER_VALUES
    }

    /**
     * @param connectsPerSecond first connections started per second (0: as fast as the in-flight cap allows)
     * @param callInterval      0: no CALLs of its own
     */
    public record Settings(
            List<URI> urls,
            int count,
            String idPrefix,
            int firstIndex,
            Optional<String> bindHost,
            Optional<String> password,
            Backoff backoff,
            int connectsPerSecond,
            int maxInFlight,
            Duration callInterval,
            Calls calls) {}

    /** What the fleet saw so far; failures by their cause (an HTTP status when there was one). */
    public record Snapshot(
            long connected,
            long handshakes,
            long closes,
            Map<String, Long> failures,
            long callsSent,
            long callsAnswered,
            long csmsCalls,
            double handshakeP50Ms,
            double handshakeP99Ms,
            double handshakeMaxMs,
            long lastCsmsCallAtMillis) {}

    private static final OcppCodec CODEC = new OcppCodec();
    static final Duration DOWN_FOR = Duration.ofSeconds(5);
    /** A handshake not done by then is given up and retried (a full accept queue drops SYNs silently). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final Settings settings;
    private final XnioWorker worker;
    private final ByteBufferPool buffers = new DefaultByteBufferPool(false, 8192);
    private final UndertowXnioSsl ssl;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-timers");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore inFlight;
    private final List<ChargePoint> chargePoints = new ArrayList<>();
    private final AtomicLong connected = new AtomicLong();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder callsSent = new LongAdder();
    private final LongAdder callsAnswered = new LongAdder();
    private final LongAdder csmsCalls = new LongAdder();
    /** Wall-clock time of the latest CALL from the gateway: processes on one machine share the clock. */
    private final AtomicLong lastCsmsCallAtMillis = new AtomicLong();

    private final Recorder handshakeMicros = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);
    private final org.HdrHistogram.Histogram handshakeTotal =
            new org.HdrHistogram.Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
    private final Map<URI, Long> downUntil = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public LightFleet(Settings settings) throws IOException {
        this.settings = settings;
        this.inFlight = new Semaphore(settings.maxInFlight());
        Xnio xnio = Xnio.getInstance(LightFleet.class.getClassLoader());
        this.worker = xnio.createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 2)
                .set(Options.WORKER_TASK_CORE_THREADS, 2)
                .set(Options.WORKER_TASK_MAX_THREADS, 2)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        this.ssl = settings.urls().stream().anyMatch(u -> "wss".equals(u.getScheme()))
                ? new UndertowXnioSsl(xnio, OptionMap.EMPTY, trustingContext())
                : null;
    }

    /** Starts every charge point's first connection, paced; returns at once. */
    public void start() {
        for (int i = 0; i < settings.count(); i++) {
            chargePoints.add(new ChargePoint(settings.idPrefix() + (settings.firstIndex() + i)));
        }
        Thread starter = new Thread(
                () -> {
                    long begin = System.nanoTime();
                    for (int i = 0; i < chargePoints.size() && !closing; i++) {
                        if (settings.connectsPerSecond() > 0) {
                            long due = begin + (long) (i * 1e9 / settings.connectsPerSecond());
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                sleepNanos(wait);
                            }
                        }
                        chargePoints.get(i).connect(true);
                    }
                },
                "fleet-starter");
        starter.setDaemon(true);
        starter.start();
    }

    public Snapshot snapshot() {
        Map<String, Long> f = new TreeMap<>();
        failures.forEach((k, v) -> f.put(k, v.sum()));
        synchronized (handshakeTotal) {
            handshakeTotal.add(handshakeMicros.getIntervalHistogram());
            return new Snapshot(
                    connected.get(),
                    handshakes.sum(),
                    closes.sum(),
                    f,
                    callsSent.sum(),
                    callsAnswered.sum(),
                    csmsCalls.sum(),
                    handshakeTotal.getValueAtPercentile(50) / 1000.0,
                    handshakeTotal.getValueAtPercentile(99) / 1000.0,
                    handshakeTotal.getMaxValue() / 1000.0,
                    lastCsmsCallAtMillis.get());
        }
    }

    /** Message ids of this fleet's CALLs that got a CALLRESULT. */
    public List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    @Override
    public void close() {
        closing = true;
        timers.shutdownNow();
        for (ChargePoint cp : chargePoints) {
            cp.closeQuietly();
        }
        worker.shutdownNow();
    }

    private final class ChargePoint {
        private final String id;
        private final String authorization;
        private volatile WebSocketChannel channel;
        private int failedInARow;
        private long sequence;
        /** METER_VALUES: the transaction its StartTransaction got (-1: none yet), and the message id of that CALL. */
        private volatile long transactionId = -1;

        private volatile String startMessageId;
        private long energyWh;

        ChargePoint(String id) {
            this.id = id;
            this.authorization = settings.password()
                    .map(p -> "Basic "
                            + Base64.getEncoder().encodeToString((id + ":" + p).getBytes(StandardCharsets.UTF_8)))
                    .orElse(null);
        }

        /** @param mayWait whether to wait for a free handshake slot; the timer thread must not (it also runs the timeouts) */
        void connect(boolean mayWait) {
            if (closing) {
                return;
            }
            if (!mayWait && !inFlight.tryAcquire()) {
                timers.schedule(() -> connect(false), 50, TimeUnit.MILLISECONDS);
                return;
            }
            try {
                if (mayWait) {
                    inFlight.acquire();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            URI base = pickUrl();
            URI uri = URI.create(base.toString().replaceAll("/+$", "") + "/" + id);
            WebSocketClient.ConnectionBuilder builder = WebSocketClient.connectionBuilder(worker, buffers, uri)
                    .setClientNegotiation(new WebSocketClientNegotiation(List.of("ocpp1.6"), List.of()) {
                        @Override
                        public void beforeRequest(Map<String, List<String>> headers) {
                            if (authorization != null) {
                                headers.put("Authorization", List.of(authorization));
                            }
                        }
                    });
            settings.bindHost().ifPresent(h -> builder.setBindAddress(new InetSocketAddress(h, 0)));
            if (ssl != null) {
                builder.setSsl(ssl);
            }
            long started = System.nanoTime();
            IoFuture<WebSocketChannel> future = builder.connect();
            timers.schedule(
                    () -> {
                        if (future.getStatus() == IoFuture.Status.WAITING) {
                            failures.computeIfAbsent("timeout", k -> new LongAdder())
                                    .increment();
                            future.cancel();
                        }
                    },
                    CONNECT_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            future.addNotifier(
                    new IoFuture.HandlingNotifier<WebSocketChannel, Void>() {
                        @Override
                        public void handleDone(WebSocketChannel ch, Void attachment) {
                            inFlight.release();
                            handshakeMicros.recordValue(
                                    Math.min((System.nanoTime() - started) / 1000, TimeUnit.MINUTES.toMicros(10)));
                            handshakes.increment();
                            opened(ch);
                        }

                        @Override
                        public void handleFailed(IOException e, Void attachment) {
                            inFlight.release();
                            if (e instanceof java.net.ConnectException) {
                                downUntil.put(base, System.nanoTime() + DOWN_FOR.toNanos());
                            }
                            failures.computeIfAbsent(cause(e), k -> new LongAdder())
                                    .increment();
                            retryLater();
                        }

                        @Override
                        public void handleCancelled(Void attachment) {
                            inFlight.release();
                            retryLater();
                        }
                    },
                    null);
        }

        private void opened(WebSocketChannel ch) {
            if (!"ocpp1.6".equals(ch.getSubProtocol())) {
                failures.computeIfAbsent("no subprotocol", k -> new LongAdder()).increment();
            }
            channel = ch;
            failedInARow = 0;
            connected.incrementAndGet();
            ch.getCloseSetter().set(c -> {
                connected.decrementAndGet();
                closes.increment();
                channel = null;
                retryLater();
            });
            ch.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel c, BufferedTextMessage message) {
                    onFrame(c, message.getData());
                }
            });
            ch.resumeReceives();
            startMessageId = null; // a StartTransaction unanswered on the last socket is sent again
            if (!settings.callInterval().isZero()) {
                long first = ThreadLocalRandom.current()
                        .nextLong(settings.callInterval().toMillis());
                timers.schedule(() -> sendCall(ch), first, TimeUnit.MILLISECONDS);
            }
        }

        private void sendCall(WebSocketChannel ch) {
            if (closing || channel != ch || !ch.isOpen()) {
                return;
            }
            String messageId = id + "-" + (sequence++);
            callsSent.increment();
            WebSockets.sendText(nextCall(messageId), ch, null);
            timers.schedule(() -> sendCall(ch), settings.callInterval().toMillis(), TimeUnit.MILLISECONDS);
        }

        private String nextCall(String messageId) {
            String now = Instant.now().toString();
            if (settings.calls() == Calls.METER_VALUES && transactionId >= 0) {
                energyWh += 100;
                return "[2,\"" + messageId + "\",\"MeterValues\",{\"connectorId\":1,\"transactionId\":" + transactionId
                        + ",\"meterValue\":[{\"timestamp\":\"" + now + "\",\"sampledValue\":[{\"value\":\"" + energyWh
                        + "\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}]}]}]";
            }
            if (settings.calls() == Calls.METER_VALUES && startMessageId == null) {
                startMessageId = messageId;
                return "[2,\"" + messageId
                        + "\",\"StartTransaction\",{\"connectorId\":1,\"idTag\":\"BENCH\",\"meterStart\":" + energyWh
                        + ",\"timestamp\":\"" + now + "\"}]";
            }
            return "[2,\"" + messageId
                    + "\",\"Heartbeat\",{}]"; // or, METER_VALUES, while its StartTransaction is unanswered
        }

        private void onFrame(WebSocketChannel ch, String text) {
            DecodeResult decoded = CODEC.decode(OcppVersion.OCPP_1_6, text);
            if (!(decoded instanceof DecodeResult.Frame f)) {
                return;
            }
            if (f.frame() instanceof OcppFrame.CallResult r) {
                callsAnswered.increment();
                acknowledged.add(r.messageId());
                if (r.messageId().equals(startMessageId)) {
                    transactionId = r.payload().path("transactionId").asLong(-1);
                }
            } else if (f.frame() instanceof OcppFrame.Call call) {
                csmsCalls.increment();
                lastCsmsCallAtMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
                OcppFrame answer = CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, call.action(), call.payload());
                if (answer instanceof OcppFrame.CallResult cr) {
                    answer = new OcppFrame.CallResult(call.messageId(), cr.payload());
                } else if (answer instanceof OcppFrame.CallError ce) {
                    answer = new OcppFrame.CallError(
                            call.messageId(), ce.errorCode(), ce.errorDescription(), ce.errorDetails());
                }
                WebSockets.sendText(CODEC.encode(answer), ch, null);
            }
        }

        private void retryLater() {
            if (closing) {
                return;
            }
            long delayMs = switch (settings.backoff()) {
                case NONE -> 100;
                case FIRMWARE -> ThreadLocalRandom.current().nextLong(1, 1000L << Math.min(failedInARow, 6));
            };
            failedInARow++;
            timers.schedule(() -> connect(false), Math.min(delayMs, 60_000), TimeUnit.MILLISECONDS);
        }

        void closeQuietly() {
            WebSocketChannel ch = channel;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** A URL at random among those not marked down (any, if all are). */
    private URI pickUrl() {
        long now = System.nanoTime();
        List<URI> up = settings.urls().stream()
                .filter(u -> {
                    Long until = downUntil.get(u);
                    return until == null || until - now < 0;
                })
                .toList();
        List<URI> from = up.isEmpty() ? settings.urls() : up;
        return from.get(ThreadLocalRandom.current().nextInt(from.size()));
    }

    /** "503" for a refused upgrade, else the exception's class: a short key to count by. */
    static String cause(IOException e) {
        String message = String.valueOf(e.getMessage());
        java.util.regex.Matcher status =
                java.util.regex.Pattern.compile("\\b([1-5]\\d\\d)\\b").matcher(message);
        return status.find() ? "http " + status.group(1) : e.getClass().getSimpleName();
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The benchmark's own server certificate is trusted as it is: the client side is not what is
     * measured. TLS 1.2, because Undertow's client stalls in a TLS 1.3 handshake (the gateway takes both;
     * OCPP's security profiles ask for 1.2 or higher, and 1.2 is what most charge points speak). Every
     * connection makes a full handshake ({@link NoResumption}).
     */
    static SSLContext trustingContext() {
        return new NoResumption(trustingTls12());
    }

    /**
     * Thousands of charge points in one process would otherwise share one TLS session: the JDK resumes
     * a session cached for the same host and port, so all but the first did a cheap abbreviated
     * handshake, and each pod kept a session rebuilt from the ticket, with its own copy of the server
     * certificate. Separate devices share nothing, so every engine is made without a peer to resume for.
     */
    static final class NoResumption extends SSLContext {
        NoResumption(SSLContext delegate) {
            super(
                    new javax.net.ssl.SSLContextSpi() {
                        @Override
                        protected void engineInit(
                                javax.net.ssl.KeyManager[] km, TrustManager[] tm, SecureRandom random) {
                            throw new UnsupportedOperationException("initialised already");
                        }

                        @Override
                        protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() {
                            return delegate.getSocketFactory();
                        }

                        @Override
                        protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() {
                            return delegate.getServerSocketFactory();
                        }

                        @Override
                        protected javax.net.ssl.SSLEngine engineCreateSSLEngine() {
                            return delegate.createSSLEngine();
                        }

                        @Override
                        protected javax.net.ssl.SSLEngine engineCreateSSLEngine(String host, int port) {
                            return delegate.createSSLEngine();
                        }

                        @Override
                        protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
                            return delegate.getServerSessionContext();
                        }

                        @Override
                        protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
                            return delegate.getClientSessionContext();
                        }
                    },
                    delegate.getProvider(),
                    delegate.getProtocol());
        }
    }

    private static SSLContext trustingTls12() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }
}
