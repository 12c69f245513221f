package io.ocppgw.bench;

import io.ocppgw.embedded.EmbeddedKafkaCluster;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.topics.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cluster}: the production shape on one machine with the shipped defaults — a three-node KRaft
 * cluster (three replicas, two in sync for a write), two edge pods sharing the charge points, two
 * route-streams and two reconciliation-streams instances with a standby each — and one fault after
 * another under steady commands: a broker SIGKILLed and restarted 20 s later, a route-streams instance
 * SIGKILLed for good (restarted after the measurement), one SIGKILLed and restarted 3 s later. For
 * each fault: the commands written from 5 s before it to 10 s after it, their outcomes and time to
 * result, and the sockets the gateway closed and the upgrades it refused meanwhile; per run, the
 * acknowledged CALLs missing from the journal.
 */
public final class ClusterScenario {

    /** The faults, in their default order: an edge pod lost moves every charge point to the other, which the restart then kills. */
    public enum Fault {
        BROKER,
        ROUTE_LOST,
        ROUTE_RESTARTED,
        RECONCILE_LOST,
        RECONCILE_RESTARTED,
        EDGE_LOST,
        EDGE_RESTARTED
    }

    /** The gateway's processes, as each fault needs them. */
    private record Nodes(
            GatewayProcesses.Node edge0,
            GatewayProcesses.Node edge1,
            GatewayProcesses.Node routeA,
            GatewayProcesses.Node routeB,
            GatewayProcesses.Node reconcileA,
            GatewayProcesses.Node reconcileB) {
        List<GatewayProcesses.Node> all() {
            return List.of(edge0, edge1, routeA, routeB, reconcileA, reconcileB);
        }
    }

    /**
     * @param warmUp        how long the whole load runs before the first fault, unmeasured: a running gateway
     *                      meets a fault warm, not seconds after its JVMs started
     * @param groupProtocol the streams apps' rebalance protocol: {@code classic} (shipped, with static
     *                      membership) or {@code streams} (Kafka's newer one, which takes no static membership)
     * @param brokerConfig  broker properties over the cluster's defaults (the streams protocol's session
     *                      timeout, say, is a broker setting)
     */
    public record Settings(
            Path jar,
            Path outDir,
            int chargePoints,
            int commandsPerSecond,
            int repeats,
            List<Fault> faults,
            Duration warmUp,
            String groupProtocol,
            Map<String, String> brokerConfig) {
        public Settings {
            faults = List.copyOf(faults);
            brokerConfig = Map.copyOf(brokerConfig);
            if (!groupProtocol.equals("classic") && !groupProtocol.equals("streams")) {
                throw new IllegalArgumentException(
                        "group protocol '" + groupProtocol + "': must be classic or streams");
            }
        }

        public static Settings full(Path jar, Path outDir) {
            return new Settings(
                    jar, outDir, 200, 50, 3, List.of(Fault.values()), Duration.ofSeconds(90), "classic", Map.of());
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(
                    jar, outDir, 20, 5, 1, List.of(Fault.ROUTE_RESTARTED), Duration.ZERO, "classic", Map.of());
        }
    }

    /** The edge's shipped lease timing (the process fixture's default is a faster one). */
    private static final Map<String, String> SHIPPED_EDGE = Map.of(
            "OCPPGW_LEASE_INTERVAL",
            "PT5S",
            "OCPPGW_LEASE_TTL",
            "PT15S",
            "OCPPGW_LOG_LEVEL",
            "WARN",
            "OCPPGW_RESPONDERS",
            "StartTransaction=sequence"); // the fleet's transactions need no backend

    private static final Map<String, String> STREAMS =
            Map.of("OCPPGW_STANDBY_REPLICAS", "1", "OCPPGW_LOG_LEVEL", "WARN");

    private final Settings settings;

    public ClusterScenario(Settings settings) {
        this.settings = settings;
    }

    public FleetReport run() throws Exception {
        Path work = Files.createTempDirectory("bench-cluster");
        FleetReport report = new FleetReport("cluster", settings.toString());
        for (int run = 0; run < settings.repeats(); run++) {
            once(work.resolve("run-" + run), "bench-cluster-" + run + ".", report, run);
        }
        report.write(settings.outDir());
        return report;
    }

    private void once(Path dir, String prefix, FleetReport report, int run) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(
                        3, dir.resolve("kafka"), EmbeddedKafkaProcess.productionJvmOptions(), settings.brokerConfig());
                GatewayProcesses gateway = new GatewayProcesses(settings.jar(), cluster.bootstrapServers(), prefix)) {
            gateway.provisionTopics(List.of("--replication-factor", "3"));
            boolean classic = settings.groupProtocol().equals("classic");
            gateway.staticMembership(classic);
            Map<String, String> streams = new HashMap<>(STREAMS);
            if (!classic) {
                streams.put("KAFKA_GROUP_PROTOCOL", settings.groupProtocol());
            }
            Nodes nodes = new Nodes(
                    gateway.edge("edge-gateway-0", SHIPPED_EDGE).start(),
                    gateway.edge("edge-gateway-1", SHIPPED_EDGE).start(),
                    gateway.route("route-a", streams).start(),
                    gateway.route("route-b", streams).start(),
                    gateway.reconcile("reconcile-a", streams).start(),
                    gateway.reconcile("reconcile-b", streams).start());
            List<GatewayProcesses.Node> all = nodes.all();
            Waits.until(
                    () -> all.stream().allMatch(GatewayProcesses.Node::isReady),
                    Duration.ofSeconds(240),
                    "the gateway to be ready");
            String chargePoints = "K" + run + "-";
            try (Fleets fleet = Fleets.start(
                    settings.jar(),
                    dir,
                    "fleet",
                    new LightFleet.Settings(
                            Fleets.urls(nodes.edge0().url(), nodes.edge1().url()),
                            settings.chargePoints(),
                            chargePoints,
                            0,
                            Optional.empty(),
                            Optional.empty(),
                            LightFleet.Backoff.FIRMWARE,
                            1000,
                            256,
                            Duration.ofSeconds(5),
                            LightFleet.Calls.METER_VALUES),
                    9_500,
                    0)) {
                Waits.until(
                        () -> fleet.totals().connected() >= settings.chargePoints(),
                        Duration.ofSeconds(120),
                        "every charge point connected");
                warmUp(cluster, gateway.topicNames(), chargePoints);
                for (Fault fault : settings.faults()) {
                    measure(
                            fault,
                            cluster,
                            gateway.topicNames(),
                            fleet,
                            chargePoints,
                            report,
                            () -> inflict(fault, cluster, nodes));
                    switch (fault) { // the next fault starts from the whole topology again
                        case ROUTE_LOST -> nodes.routeB().start();
                        case RECONCILE_LOST -> nodes.reconcileB().start();
                        case EDGE_LOST -> nodes.edge1().start();
                        default -> {}
                    }
                    Waits.until(
                            () -> all.stream().allMatch(GatewayProcesses.Node::isReady),
                            Duration.ofSeconds(180),
                            "the gateway ready again");
                }
                List<String> acked = fleet.stop();
                report.figure("per run", "acknowledged CALLs", acked.size(), "CALLs");
                report.figure(
                        "per run",
                        "acknowledged CALLs lost",
                        JournalCheck.missing(cluster.bootstrapServers(), gateway.topicNames(), acked),
                        "CALLs");
            }
        }
    }

    private void warmUp(EmbeddedKafkaCluster cluster, TopicNames topics, String chargePoints) throws Exception {
        if (settings.warmUp().isZero()) {
            return;
        }
        try (CommandBackend commands = new CommandBackend(
                cluster.bootstrapServers(), topics, chargePoints, settings.chargePoints(), "warm-up-")) {
            commands.start(settings.commandsPerSecond());
            Thread.sleep(settings.warmUp().toMillis());
            commands.stopWriting();
        }
    }

    private static void inflict(Fault fault, EmbeddedKafkaCluster cluster, Nodes nodes) throws Exception {
        switch (fault) {
            case BROKER -> {
                cluster.kill(1);
                Thread.sleep(20_000);
                cluster.restart(1);
            }
            case ROUTE_LOST -> lose(nodes.routeB());
            case ROUTE_RESTARTED -> restart(nodes.routeA());
            case RECONCILE_LOST -> lose(nodes.reconcileB());
            case RECONCILE_RESTARTED -> restart(nodes.reconcileA());
            case EDGE_LOST -> lose(nodes.edge1());
            case EDGE_RESTARTED -> restart(nodes.edge0());
        }
    }

    /** SIGKILLed and left dead for the measurement. */
    private static void lose(GatewayProcesses.Node node) throws Exception {
        node.kill9();
        Thread.sleep(20_000);
    }

    /** SIGKILLed and started again 3 s later on the same state (a container restart). */
    private static void restart(GatewayProcesses.Node node) throws Exception {
        node.kill9();
        Thread.sleep(3_000);
        node.start();
    }

    /** How many charge points the fleet had offline after the fault, and for how long (the fleet reports every 0.5 s). */
    private static final class OnlineWatch implements AutoCloseable {
        private final long start = System.nanoTime();
        private final Thread watcher;
        private volatile boolean running = true;
        private volatile long mostOffline;
        private volatile double lastOfflineSeconds;

        OnlineWatch(Fleets fleet, int chargePoints) {
            watcher = new Thread(
                    () -> {
                        while (running) {
                            long offline = chargePoints - fleet.totals().connected();
                            if (offline > 0) {
                                mostOffline = Math.max(mostOffline, offline);
                                lastOfflineSeconds = (System.nanoTime() - start) / 1e9;
                            }
                            try {
                                Thread.sleep(250);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "online-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        long mostOffline() {
            return mostOffline;
        }

        /** From the fault until the last moment any was offline (0: none ever was). */
        double offlineSeconds() {
            return lastOfflineSeconds;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            watcher.join(5_000);
        }
    }

    private void measure(
            Fault fault,
            EmbeddedKafkaCluster cluster,
            TopicNames topics,
            Fleets fleet,
            String chargePoints,
            FleetReport report,
            Waits.Step inflict)
            throws Exception {
        String caseName = fault.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        // A broker lost while a partition has only it and one other replica in sync leaves that partition
        // below min.insync.replicas until it is back (a lagging follower, on a busy machine): measured is
        // the loss the cluster is built for, every replica in sync, as an operator would check first.
        long waitedForSync = System.nanoTime();
        boolean inSync = cluster.awaitFullyReplicated(Duration.ofSeconds(120));
        report.figure(caseName, "waited for all replicas in sync", (System.nanoTime() - waitedForSync) / 1e9, "s");
        report.figure(
                caseName,
                "under-replicated partitions at the fault",
                inSync ? 0 : cluster.underReplicatedPartitions(),
                "partitions");
        Fleets.Totals before = fleet.totals();
        try (TransactionDelays transactions = new TransactionDelays(cluster.bootstrapServers(), topics);
                CommandBackend commands = new CommandBackend(
                        cluster.bootstrapServers(),
                        topics,
                        chargePoints,
                        settings.chargePoints(),
                        fault.name() + "-")) {
            commands.start(settings.commandsPerSecond());
            Thread.sleep(5_000);
            OnlineWatch online = new OnlineWatch(fleet, settings.chargePoints());
            inflict.run();
            Thread.sleep(10_000);
            commands.stopWriting();
            CommandBackend.Outcomes outcomes = commands.awaitOutcomes(Duration.ofSeconds(150));
            Fleets.Totals after = fleet.totals();
            report.figure(caseName, "commands written", commands.written(), "commands");
            report.figure(caseName, "COMPLETED", outcomes.counts().getOrDefault("COMPLETED", 0L), "commands");
            report.figure(caseName, "EXPIRED", outcomes.counts().getOrDefault("EXPIRED", 0L), "commands");
            long other = outcomes.counts().entrySet().stream()
                    .filter(e -> !List.of("COMPLETED", "EXPIRED", "none", "duplicate")
                            .contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            report.figure(caseName, "any other outcome", other, "commands");
            // one figure per status would be missing from runs where it did not occur, and skew the medians
            report.figure(caseName, "of them TIMEOUT", outcomes.counts().getOrDefault("TIMEOUT", 0L), "commands");
            report.figure(caseName, "without an outcome", outcomes.counts().getOrDefault("none", 0L), "commands");
            report.figure(caseName, "with 2+ outcomes", outcomes.counts().getOrDefault("duplicate", 0L), "commands");
            report.figure(caseName, "time to result p50", outcomes.waitSeconds(0.5), "s");
            report.figure(caseName, "time to result p99", outcomes.waitSeconds(0.99), "s");
            report.figure(caseName, "longest wait", outcomes.waitSeconds(1.0), "s");
            report.figure(caseName, "written to routed p99", outcomes.routingSeconds(0.99), "s");
            report.figure(caseName, "sockets closed", after.closes() - before.closes(), "sockets");
            report.figure(caseName, "upgrades refused", after.failures() - before.failures(), "upgrades");
            online.close();
            report.figure(caseName, "charge points offline at once, most", online.mostOffline(), "charge points");
            report.figure(caseName, "until every charge point online again", online.offlineSeconds(), "s");
            // the fleet's MeterValues through reconciliation-streams, from the journal to a readable transaction record
            report.figure(caseName, "transaction records", transactions.count(), "records");
            report.figure(caseName, "transaction record delay p99", transactions.seconds(0.99), "s");
            report.figure(caseName, "transaction record longest delay", transactions.seconds(1.0), "s");
        }
    }
}
