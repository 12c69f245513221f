package io.ocppgw.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.edge.downstream.CommandDispatcher;
import io.ocppgw.edge.downstream.CommandsDownConsumer;
import io.ocppgw.edge.downstream.LeaseWatch;
import io.ocppgw.edge.handshake.CredentialStore;
import io.ocppgw.edge.handshake.CredentialsFile;
import io.ocppgw.edge.handshake.FailedLogins;
import io.ocppgw.edge.handshake.HandshakeGate;
import io.ocppgw.edge.handshake.TokenBucket;
import io.ocppgw.edge.kafka.KafkaWriter;
import io.ocppgw.edge.metrics.EdgeMetrics;
import io.ocppgw.edge.session.ReadThrottle;
import io.ocppgw.edge.session.Session;
import io.ocppgw.edge.session.SessionRegistry;
import io.ocppgw.edge.session.Wire;
import io.ocppgw.edge.upstream.Answers;
import io.ocppgw.edge.upstream.CallProcessor;
import io.ocppgw.edge.upstream.PendingReplies;
import io.ocppgw.edge.upstream.ResponderPolicy;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.ConfigException;
import io.ocppgw.support.HealthCheck;
import io.ocppgw.support.Metrics;
import io.ocppgw.topics.DownPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.commands.CommandCheck;
import io.ocppgw.topics.records.PodLease;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of an edge pod: builds every part with plain constructors, starts them in
 * order (Kafka writer, lease STARTING, WebSocket and admin servers, lease READY) and stops them in
 * reverse, draining sockets over the drain window.
 */
public final class EdgeApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeApp.class);

    private final EdgeConfig config;
    private final Clock clock;
    private final AtomicReference<PodLease.State> state = new AtomicReference<>(PodLease.State.STARTING);
    private final SessionRegistry sessions = new SessionRegistry();
    private final PendingReplies replies = new PendingReplies();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "edge-timer");
        t.setDaemon(true);
        return t;
    });
    private final PrometheusMeterRegistry registry = Metrics.newRegistry("edge-gateway");
    private final KafkaWriter kafka;
    private final int partition;
    private final UpgradeServer server;
    private final AdminServer admin;
    private final OcppEndpoint endpoint;
    private final CommandsDownConsumer commandsDown;
    private final CompletableFuture<Integer> schemasPreloaded;
    /** New on every start of the process: tells route-streams a restart under the same pod id from a pod that lives on. */
    private final String incarnation = UUID.randomUUID().toString();
    /** Whether route-streams can have counted this pod as silent, from its own renewals: see {@link LeaseWatch}. */
    private final LeaseWatch leaseWatch = new LeaseWatch();

    private boolean stopped;

    /** Builds and starts the pod; throws {@link ConfigException} for a configuration the cluster or the catalogue rules out. */
    public static EdgeApp start(EdgeConfig config, Clock clock) {
        EdgeApp app = new EdgeApp(config, clock);
        app.startServing();
        return app;
    }

    private EdgeApp(EdgeConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        SchemaValidator validator = new SchemaValidator();
        // compiling every schema is about a third of the start: an idle timer thread does it while Kafka connects
        this.schemasPreloaded = CompletableFuture.supplyAsync(validator::preloadAll, timers);
        Answers answers = new Answers(validator, config.bootStatus(), config.heartbeatInterval());
        checkAckAnswers(config, answers, clock);
        Optional<CredentialStore> credentials =
                config.credentialsFile().map(p -> new CredentialsFile(p, Duration.ofSeconds(5), clock));
        this.kafka = new KafkaWriter(config.kafka(), config.topics(), config.answerBudget());
        int downPartitions;
        try {
            downPartitions = kafka.downPartitions();
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException(
                    "cannot read the partitions of " + config.topics().name(Topic.COMMANDS_DOWN)
                            + " (run 'ocppgw topics apply' first?): " + e.getMessage(),
                    e);
        }
        this.partition = DownPartitions.partitionFor(config.podId(), downPartitions);
        EdgeMetrics metrics = new EdgeMetrics(registry, sessions::size, kafka::inFlight);
        metrics.podInfo(config.podId(), partition);
        OcppCodec codec =
                new OcppCodec(new OcppCodec.Limits(64, config.sessionLimits().maxFrameBytes()));
        Wire wire = new Wire(timers);
        int workers = Math.max(8, Runtime.getRuntime().availableProcessors() * 8);
        ExecutorService worker = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "edge-worker");
            t.setDaemon(true);
            return t;
        });
        CallProcessor calls = new CallProcessor(
                config.podId(),
                config.answerBudget(),
                config.calls(),
                kafka,
                validator,
                answers,
                replies,
                codec,
                wire,
                metrics,
                clock);
        ReadThrottle throttle = new ReadThrottle(config.maxPendingPersists(), kafka::inFlight);
        kafka.onSettled(throttle::onWriteSettled);
        CommandDispatcher dispatcher = new CommandDispatcher(
                config.podId(),
                incarnation,
                sessions,
                kafka,
                new CommandCheck(validator, Integer.MAX_VALUE),
                config.calls()::validationFor,
                replies,
                codec,
                wire,
                metrics,
                timers,
                clock,
                config.commandTimeout(),
                leaseWatch);
        metrics.queueDepth(() ->
                sessions.all().stream().mapToInt(s -> s.outbound().depth()).sum());
        this.endpoint = new OcppEndpoint(
                new OcppEndpoint.Settings(
                        config.podId(), partition, incarnation, config.answerBudget(), config.sessionLimits()),
                sessions,
                kafka,
                calls,
                replies,
                codec,
                wire,
                metrics,
                worker,
                clock,
                throttle,
                dispatcher);
        this.commandsDown = new CommandsDownConsumer(
                config.kafka(),
                config.topics().name(Topic.COMMANDS_DOWN),
                partition,
                config.podId(),
                dispatcher,
                kafka,
                metrics);
        HandshakeGate gate = new HandshakeGate(
                config.pathPrefix(),
                config.securityProfile(),
                config.clientCertOrganization(),
                credentials,
                config.requireKnownIdentity(),
                config.versions(),
                this::notReadyReason,
                sessions::size,
                config.maxConnections(),
                new TokenBucket(config.upgradesPerSecond(), config.upgradeBurst(), System.nanoTime()),
                new FailedLogins(config.failedLoginsPerSecond(), System.nanoTime()),
                System::nanoTime);
        this.server = new UpgradeServer(config, gate, endpoint, metrics, workers);
        this.admin = new AdminServer(config.host(), config.adminPort(), registry)
                .readinessCheck(new HealthCheck(
                        "kafka",
                        () -> kafka.unhealthyReason()
                                .map(HealthCheck.Result::down)
                                .orElse(HealthCheck.Result.up("writes acknowledged"))))
                .readinessCheck(new HealthCheck(
                        "commands-down",
                        () -> commandsDown.isRunning() || state.get() == PodLease.State.STARTING
                                ? HealthCheck.Result.up("partition " + partition)
                                : HealthCheck.Result.down("consumer stopped")))
                .readinessCheck(new HealthCheck(
                        "pod",
                        () -> state.get() == PodLease.State.READY
                                ? HealthCheck.Result.up(
                                        "READY: pod " + config.podId() + ", commands-down partition " + partition)
                                : HealthCheck.Result.down(state.get() + ": pod " + config.podId()
                                        + ", commands-down partition " + partition)));
    }

    /** Every action answered with {@code ack} must have a valid built-in answer: checked before serving. */
    private static void checkAckAnswers(EdgeConfig config, Answers answers, Clock clock) {
        List<String> problems = new ArrayList<>();
        config.calls().responders().forEach((action, policy) -> {
            if (policy == ResponderPolicy.ACK) {
                for (OcppVersion v : config.versions()) {
                    if (ActionCatalogue.mayBeSentBy(v, action, Initiator.CHARGE_POINT)
                            && answers.ackAnswer(v, action, clock.instant()).isEmpty()) {
                        problems.add("OCPPGW_RESPONDERS: '" + action + "=ack': the gateway has no valid " + v.token()
                                + " answer for it (its response needs data only a backend has); use backend");
                    }
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private Optional<String> notReadyReason() {
        if (state.get() != PodLease.State.READY) {
            return Optional.of(state.get().name());
        }
        return kafka.unhealthyReason();
    }

    private void startServing() {
        try {
            schemasPreloaded.join(); // a schema missing from the jar stops the start here
        } catch (CompletionException e) {
            close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        try {
            renewLease().get(config.answerBudget().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot write the first lease to Kafka: " + e, e);
        }
        commandsDown.start(); // positioned at the end in the constructor, before any socket is accepted
        listen(server::start, "OCPPGW_PORT", config.port());
        listen(admin::start, "OCPPGW_ADMIN_PORT", config.adminPort());
        state.set(PodLease.State.READY);
        renewLease();
        long lease = config.leaseInterval().toMillis();
        timers.scheduleAtFixedRate(this::renewLease, lease, lease, TimeUnit.MILLISECONDS);
        long ping = config.pingInterval().toMillis();
        timers.scheduleAtFixedRate(() -> endpoint.pingAll(config.pingInterval()), ping, ping, TimeUnit.MILLISECONDS);
        LOG.info(
                "edge pod ready: pod={} partition={} ws={}://{}:{}{}/<chargePointId> profile={} admin=http://{}:{}/health/ready",
                config.podId(),
                partition,
                config.tls().isPresent() ? "wss" : "ws",
                config.host(),
                port(),
                config.pathPrefix(),
                config.securityProfile().number(),
                config.host(),
                admin.port());
    }

    /** Opens a listener; a port it cannot have stops the start, names the variable, and leaves the lease STOPPED (by close). */
    private void listen(Runnable start, String variable, int port) {
        try {
            start.run();
        } catch (RuntimeException e) {
            close();
            throw ConfigException.cannotListen(variable, port, config.host(), e);
        }
    }

    private CompletableFuture<?> renewLease() {
        var now = clock.instant();
        PodLease lease = new PodLease(
                config.podId(), partition, state.get(), now, now.plus(config.leaseTtl()), version(), incarnation);
        return kafka.lease(lease).whenComplete((m, e) -> {
            if (e == null) {
                leaseWatch.acknowledged(lease.renewedAt(), lease.expiresAt(), clock.instant());
            }
        });
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return admin.port();
    }

    public int partition() {
        return partition;
    }

    /** Completes, with why, when the pod gave up on delivering commands: the process should exit non-zero. */
    public CompletableFuture<String> failure() {
        return commandsDown.failure();
    }

    public String incarnation() {
        return incarnation;
    }

    public PendingReplies pendingReplies() {
        return replies;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /**
     * Drains and stops: not ready, lease DRAINING, sockets closed one by one spread over the drain
     * window (no reconnect storm), each with its DISCONNECTED event, producer flushed, lease STOPPED.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        state.set(PodLease.State.DRAINING);
        if (commandsDown != null) {
            commandsDown.close();
        }
        if (server != null && kafka != null) {
            renewLease();
            drain();
            if (!kafka.awaitSettled(Duration.ofSeconds(10))) {
                LOG.warn("{} Kafka writes still unacknowledged at shutdown", kafka.inFlight());
            }
            state.set(PodLease.State.STOPPED);
            try {
                renewLease().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("could not write the STOPPED lease: {}", e.toString());
            }
        }
        timers.shutdownNow();
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        LOG.info("edge pod stopped: pod={}", config.podId());
    }

    private void drain() {
        List<Session> open = new ArrayList<>(sessions.all());
        long gapNanos = open.isEmpty() ? 0 : config.drainWindow().toNanos() / open.size();
        LOG.info("draining {} sessions over {}", open.size(), config.drainWindow());
        Wire wire = new Wire(timers);
        for (Session s : open) {
            s.closeReason("draining");
            wire.close(s.channel(), OcppEndpoint.CLOSE_GOING_AWAY, "gateway pod shutting down");
            if (gapNanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(gapNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String version() {
        String v = EdgeApp.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
