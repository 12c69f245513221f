package io.ocppgw.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Offers CALLs over real WebSockets the way charge points do — at most one outstanding CALL per
 * connection — either at a fixed total rate (open loop: each CALL has an intended send time, and its
 * latency is measured from that time, so a stalled server cannot hide its stall) or as fast as the
 * answers come back (saturation, {@code rate} 0).
 */
public final class LoadGenerator {

    /**
     * @param rate    CALLs per second over all connections; 0 = saturation
     * @param warmup  run before measuring, not counted
     * @param payload the CALL's payload (JSON object text)
     */
    public record Settings(
            String url,
            String subprotocol,
            String idPrefix,
            int connections,
            int rate,
            Duration warmup,
            Duration duration,
            String action,
            String payload) {}

    /** What one run measured; latency in microseconds. */
    public record Result(long sent, long answered, long errors, double seconds, Histogram latencyMicros) {
        public double throughput() {
            return answered / seconds;
        }
    }

    private final Settings settings;
    private final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean running = true;

    private LoadGenerator(Settings settings) {
        this.settings = settings;
    }

    public static Result run(Settings settings) throws Exception {
        return new LoadGenerator(settings).go();
    }

    private Result go() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Connection> connections = new ArrayList<>();
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            Connection c = new Connection(i);
            connections.add(c);
            opening.add(http.newWebSocketBuilder()
                    .subprotocols(settings.subprotocol())
                    .connectTimeout(Duration.ofSeconds(20))
                    .buildAsync(URI.create(settings.url() + "/" + settings.idPrefix() + i), c)
                    .thenApply(ws -> c.ws = ws));
            if (i % 50 == 49) {
                CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        long measureFrom = start + settings.warmup().toNanos();
        long end = measureFrom + settings.duration().toNanos();
        Thread starter = new Thread(() -> {
            LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
            synchronized (latency) {
                latency.reset();
            }
            sent.set(0);
            answered.set(0);
            errors.set(0);
            measuring = true;
        });
        starter.start();
        if (settings.rate() == 0) {
            connections.forEach(c -> c.offer(System.nanoTime()));
            LockSupport.parkNanos(Math.max(0, end - System.nanoTime()));
        } else {
            double gap = 1e9 / settings.rate();
            for (long k = 0; ; k++) {
                long intended = start + (long) (k * gap);
                if (intended >= end) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                connections.get((int) (k % connections.size())).offer(intended);
            }
        }
        running = false;
        measuring = false;
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        starter.join();
        for (Connection c : connections) {
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        Histogram copy;
        synchronized (latency) {
            copy = latency.copy();
        }
        return new Result(sent.get(), answered.get(), errors.get(), seconds, copy);
    }

    /** One charge point: one outstanding CALL; CALLs due meanwhile wait, their latency still counted from when they were due. */
    private final class Connection implements WebSocket.Listener {
        private final String id;
        private final ArrayDeque<Long> due = new ArrayDeque<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket ws;
        private long outstandingSince = -1;
        private long counter;

        Connection(int n) {
            this.id = "c" + n + "-";
        }

        synchronized void offer(long intended) {
            if (outstandingSince < 0) {
                send(intended);
            } else {
                due.add(intended);
            }
        }

        private void send(long intended) {
            outstandingSince = intended;
            if (measuring) {
                sent.incrementAndGet();
            }
            ws.sendText(
                    "[2,\"" + id + counter++ + "\",\"" + settings.action() + "\"," + settings.payload() + "]", true);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            webSocket.request(1);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                answered(frame.startsWith("[3,"));
            }
            return null;
        }

        private synchronized void answered(boolean ok) {
            long now = System.nanoTime();
            if (measuring && outstandingSince >= 0) {
                if (ok) {
                    answered.incrementAndGet();
                    synchronized (latency) {
                        latency.recordValue(
                                Math.min((now - outstandingSince) / 1000, latency.getHighestTrackableValue()));
                    }
                } else {
                    errors.incrementAndGet();
                }
            }
            outstandingSince = -1;
            if (!due.isEmpty()) {
                send(due.poll());
            } else if (settings.rate() == 0 && running) {
                send(now);
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.incrementAndGet();
        }
    }
}
