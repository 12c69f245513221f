package io.ocppgw.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.bench.BareHotPath;
import io.ocppgw.bench.BenchReport;
import io.ocppgw.bench.BroadcastScenario;
import io.ocppgw.bench.ClassicEdge;
import io.ocppgw.bench.ClusterScenario;
import io.ocppgw.bench.ConnectionsScenario;
import io.ocppgw.bench.FailoverScenario;
import io.ocppgw.bench.LightFleet;
import io.ocppgw.bench.LoadGenerator;
import io.ocppgw.bench.RoutingScenario;
import io.ocppgw.bench.StormScenario;
import io.ocppgw.bench.UpstreamScenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ocppgw bench SCENARIO}: runs a benchmark on this machine with every part a separate process
 * of this jar, prints a table and writes JSON and PNG charts. Benchmarks are not tests: they assert
 * nothing; CI runs their {@code --smoke} size only to keep them working.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Run a benchmark scenario (broker, gateway and load generators as separate processes); prints a table, writes JSON and PNG.",
        subcommands = {
            BenchCommand.Upstream.class,
            BenchCommand.Routing.class,
            BenchCommand.Connections.class,
            BenchCommand.Broadcast.class,
            BenchCommand.Failover.class,
            BenchCommand.Cluster.class,
            BenchCommand.Storm.class,
            BenchCommand.Chart.class,
            BenchCommand.Load.class,
            BenchCommand.BareServer.class,
            BenchCommand.ClassicEdgeServer.class,
            BenchCommand.FleetRunner.class
        })
final class BenchCommand {

    static Path thisJar() {
        try {
            return Path.of(BenchCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the ocppgw jar", e);
        }
    }

    /** What every scenario takes. */
    static final class ScenarioOptions {
        @Option(names = "--smoke", description = "A tiny run that only checks the benchmark works (CI).")
        boolean smoke;

        @Option(
                names = "--out",
                defaultValue = "bench-results",
                description = "Where JSON and PNG go. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Option(names = "--repeats", description = "Runs per measurement. Default: 3 (smoke: 1).")
        Integer repeats;

        int repeatsOr(int scenarioDefault) {
            return repeats != null ? repeats : scenarioDefault;
        }
    }

    private static int report(CommandSpec spec, String scenario, Object settings, String table, Path out) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s benchmark: %s%n", scenario, settings);
        o.print(table);
        o.printf("written: %s%n", out.toAbsolutePath());
        o.flush();
        return 0;
    }

    @Command(
            name = "upstream",
            mixinStandardHelpOptions = true,
            description =
                    "CALLs answered after acks=all through one edge pod (validation off and strict) against the bare hot path"
                            + " (Undertow + Jackson + KafkaProducer): throughput at saturation, latency at offered loads, CPU per process.")
    static final class Upstream implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--duration", description = "Measured time per run (ISO-8601). Default: PT15S (smoke: PT2S).")
        Duration duration;

        @Option(
                names = "--targets",
                split = ",",
                description = "Which of off, strict, bare to measure. Default: all three.")
        List<String> targets;

        @Option(
                names = "--rates",
                split = ",",
                description = "Offered loads, CALLs/s (saturation is always measured)."
                        + " Default: 1000,5000,10000,20000 (smoke: 200).")
        List<Integer> rates;

        @Option(
                names = "--saturation-connections",
                description =
                        "Connections of the saturation run, one CALL outstanding each." + " Default: 64 (smoke: 20).")
        Integer saturationConnections;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (targets != null && !UpstreamScenario.Settings.TARGETS.containsAll(targets)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--targets '" + String.join(",", targets) + "'" + ": each must be one of "
                                + UpstreamScenario.Settings.TARGETS);
            }
            if (rates != null && rates.stream().anyMatch(r -> r < 1)) {
                throw new ParameterException(
                        spec.commandLine(), "--rates '" + rates + "': each must be at least 1 CALL/s");
            }
            if (saturationConnections != null && saturationConnections < 1) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--saturation-connections '" + saturationConnections + "': must be at least 1");
            }
            UpstreamScenario.Settings s = common.smoke
                    ? UpstreamScenario.Settings.smoke(thisJar(), common.out)
                    : UpstreamScenario.Settings.full(thisJar(), common.out);
            s = new UpstreamScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    rates != null ? rates : s.rates(),
                    common.repeatsOr(s.repeats()),
                    s.connections(),
                    saturationConnections != null ? saturationConnections : s.saturationConnections(),
                    targets != null ? targets : s.targets(),
                    s.warmup(),
                    duration != null ? duration : s.duration());
            return report(spec, "upstream", s, new UpstreamScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "chart",
            mixinStandardHelpOptions = true,
            description = "Draw the charts of an upstream or routing report (its JSON) again, without running it:"
                    + " p99 by offered load on a log scale with the targets as lines, and throughput at saturation.")
    static final class Chart implements Callable<Integer> {

        @Option(
                names = "--report",
                required = true,
                description = "The report's JSON, e.g. docs/benchmarks/routing/routing.json.")
        Path report;

        @Option(names = "--out", description = "Where the PNG files go. Default: beside the report.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path dir = out != null ? out : report.toAbsolutePath().getParent();
            BenchReport.read(report).writeCharts(dir);
            System.out.println("charts written to " + dir);
            return 0;
        }
    }

    @Command(
            name = "routing",
            mixinStandardHelpOptions = true,
            description =
                    "Commands written to commands at a fixed rate, routed to the pod holding each charge point: latency to the CALL on"
                            + " the socket and to the CommandResult, for exactly_once_v2 and at_least_once.")
    static final class Routing implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--rate", description = "Commands per second. Default: 1000 (smoke: 20).")
        Integer rate;

        @Option(
                names = "--guarantees",
                split = ",",
                description =
                        "Processing guarantees to measure, in order." + " Default: exactly_once_v2,at_least_once.")
        List<String> guarantees;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RoutingScenario.Settings s = common.smoke
                    ? RoutingScenario.Settings.smoke(thisJar(), common.out)
                    : RoutingScenario.Settings.full(thisJar(), common.out);
            s = new RoutingScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    rate != null ? rate : s.rate(),
                    s.chargePoints(),
                    common.repeatsOr(s.repeats()),
                    s.warmup(),
                    s.duration(),
                    guarantees != null ? guarantees : s.guarantees());
            return report(spec, "routing", s, new RoutingScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "connections",
            mixinStandardHelpOptions = true,
            description =
                    "Idle OCPP connections held by edge pods: one pod to the file limit with ws, TLS-RSA and TLS-ECDSA (profile 2),"
                            + " then several pods; handshakes/s, heap and RSS per connection. Charge points come from several processes and"
                            + " source addresses 127.0.0.2-9.")
    static final class Connections implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(
                names = "--per-pod",
                description = "Connections per pod in the one-pod cases. Default: 19000 (smoke: 200).")
        Integer perPod;

        @Option(names = "--pods", description = "Pods in the many-pods case. Default: 6 (smoke: 2).")
        Integer pods;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ConnectionsScenario.Settings s = common.smoke
                    ? ConnectionsScenario.Settings.smoke(thisJar(), common.out)
                    : ConnectionsScenario.Settings.full(thisJar(), common.out);
            s = new ConnectionsScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    perPod != null ? perPod : s.perPod(),
                    pods != null ? pods : s.pods(),
                    s.perPodWhenMany(),
                    s.perProcess(),
                    common.repeatsOr(s.repeats()));
            return report(
                    spec, "connections", s, new ConnectionsScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "broadcast",
            mixinStandardHelpOptions = true,
            description =
                    "One command to every charge point, spread over several edge pods, against the classic design (a Redis route"
                            + " map written on connect, a topic per pod; GET per command, pipelined, 30 s cache): time until all are on sockets"
                            + " and all outcomes are in; then with a pod SIGKILLed halfway: misrouted, silent and duplicate commands. Needs"
                            + " Debian's redis-server.")
    static final class Broadcast implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--charge-points", description = "Default: 10000 (smoke: 60).")
        Integer chargePoints;

        @Option(names = "--pods", description = "Edge pods of each design. Default: 3.")
        Integer pods;

        @Option(
                names = "--warm-up",
                description =
                        "The most untimed broadcasts before the timed ones of each case; warm-up ends once"
                                + " the JIT compilers took under 10%% of the measured processes' CPU in one. Default: 12 (smoke: 1).")
        Integer warmUps;

        @Option(
                names = "--gateway-only",
                description = "Measure the gateway alone, not the classic design (no time ratios).")
        boolean gatewayOnly;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            BroadcastScenario.Settings s = common.smoke
                    ? BroadcastScenario.Settings.smoke(thisJar(), common.out)
                    : BroadcastScenario.Settings.full(thisJar(), common.out);
            s = new BroadcastScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    chargePoints != null ? chargePoints : s.chargePoints(),
                    pods != null ? pods : s.pods(),
                    common.repeatsOr(s.repeats()),
                    warmUps != null ? warmUps : s.warmUps(),
                    !gatewayOnly);
            return report(spec, "broadcast", s, new BroadcastScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "failover",
            mixinStandardHelpOptions = true,
            description =
                    "Two edge pods share the charge points while commands flow; one is SIGKILLed: time until 99%% and 100%% are"
                            + " re-routed, the outcome of every command, acknowledged CALLs missing from the journal.")
    static final class Failover implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--charge-points", description = "Default: 5000 (smoke: 60).")
        Integer chargePoints;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FailoverScenario.Settings s = common.smoke
                    ? FailoverScenario.Settings.smoke(thisJar(), common.out)
                    : FailoverScenario.Settings.full(thisJar(), common.out);
            s = new FailoverScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    chargePoints != null ? chargePoints : s.chargePoints(),
                    s.commandsPerSecond(),
                    common.repeatsOr(s.repeats()));
            return report(spec, "failover", s, new FailoverScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "cluster",
            mixinStandardHelpOptions = true,
            description =
                    "A three-node Kafka cluster under the whole gateway with its shipped defaults; a broker SIGKILLed and restarted,"
                            + " a route-streams instance, a reconciliation-streams instance and an edge pod each lost, and each restarted: outcomes"
                            + " and time to result of the commands around each fault, delays of the transaction records, sockets closed, charge"
                            + " points offline, upgrades refused, acknowledged CALLs lost.")
    static final class Cluster implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--charge-points", description = "Default: 200 (smoke: 20).")
        Integer chargePoints;

        @Option(names = "--commands-per-second", description = "Default: 50 (smoke: 5).")
        Integer commandsPerSecond;

        @Option(
                names = "--faults",
                split = ",",
                description =
                        "Which of BROKER, ROUTE_LOST, ROUTE_RESTARTED, RECONCILE_LOST, RECONCILE_RESTARTED, EDGE_LOST,"
                                + " EDGE_RESTARTED, in order."
                                + " Default: all (smoke: ROUTE_RESTARTED).")
        List<ClusterScenario.Fault> faults;

        @Option(
                names = "--warm-up",
                description = "The load before the first fault, unmeasured (ISO-8601). Default: PT90S (smoke: PT0S).")
        Duration warmUp;

        @Option(
                names = "--group-protocol",
                description = "The streams apps' rebalance protocol: classic (shipped; static membership) or"
                        + " streams (Kafka's newer one; no static membership). Default: classic.")
        String groupProtocol;

        @Option(
                names = "--broker-config",
                description = "A broker property over the cluster's defaults, key=value; repeatable (e.g."
                        + " group.streams.min.session.timeout.ms=6000).")
        Map<String, String> brokerConfig;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ClusterScenario.Settings s = common.smoke
                    ? ClusterScenario.Settings.smoke(thisJar(), common.out)
                    : ClusterScenario.Settings.full(thisJar(), common.out);
            if (groupProtocol != null && !groupProtocol.equals("classic") && !groupProtocol.equals("streams")) {
                throw new ParameterException(
                        spec.commandLine(), "--group-protocol '" + groupProtocol + "': must be classic or streams");
            }
            s = new ClusterScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    chargePoints != null ? chargePoints : s.chargePoints(),
                    commandsPerSecond != null ? commandsPerSecond : s.commandsPerSecond(),
                    common.repeatsOr(s.repeats()),
                    faults != null ? faults : s.faults(),
                    warmUp != null ? warmUp : s.warmUp(),
                    groupProtocol != null ? groupProtocol : s.groupProtocol(),
                    brokerConfig != null ? brokerConfig : s.brokerConfig());
            return report(spec, "cluster", s, new ClusterScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "storm",
            mixinStandardHelpOptions = true,
            description =
                    "An edge pod holding TLS charge points (profile 2) is SIGKILLed and restarted; all reconnect at once, with"
                            + " firmware back-off and without: time to re-admit all, refusals, memory, GC.")
    static final class Storm implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--charge-points", description = "Default: 15000 (smoke: 100).")
        Integer chargePoints;

        @Option(names = "--key", description = "Server key: EC or RSA. Default: EC.")
        String key;

        @Option(
                names = "--hash-iterations",
                description = "PBKDF2 iterations of the charge points' password hashes. Default: 10000,"
                        + " as the hash tool makes them.")
        Integer hashIterations;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (hashIterations != null && hashIterations < 1) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--hash-iterations '" + hashIterations + "': must be a whole number from 1");
            }
            StormScenario.Settings s = common.smoke
                    ? StormScenario.Settings.smoke(thisJar(), common.out)
                    : StormScenario.Settings.full(thisJar(), common.out);
            s = new StormScenario.Settings(
                    s.jar(),
                    s.outDir(),
                    chargePoints != null ? chargePoints : s.chargePoints(),
                    s.perProcess(),
                    key != null ? key : s.keyAlgorithm(),
                    hashIterations != null ? hashIterations : s.hashIterations(),
                    common.repeatsOr(s.repeats()));
            return report(spec, "storm", s, new StormScenario(s).run().table(), common.out);
        }
    }

    @Command(
            name = "load",
            hidden = true,
            description = "A load generator process of a scenario; writes its result as JSON.")
    static final class Load implements Callable<Integer> {

        @Option(names = "--url", required = true)
        String url;

        @Option(names = "--connections", defaultValue = "100")
        int connections;

        @Option(names = "--rate", defaultValue = "0", description = "CALLs/s over all connections; 0 = saturation.")
        int rate;

        @Option(names = "--warmup", defaultValue = "PT2S")
        Duration warmup;

        @Option(names = "--duration", defaultValue = "PT10S")
        Duration duration;

        @Option(names = "--id-prefix", defaultValue = "LOAD-")
        String idPrefix;

        @Option(names = "--subprotocol", defaultValue = "ocpp1.6")
        String subprotocol;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings(
                    url,
                    subprotocol,
                    idPrefix,
                    connections,
                    rate,
                    warmup,
                    duration,
                    "MeterValues",
                    UpstreamScenario.PAYLOAD));
            ObjectMapper mapper = new ObjectMapper();
            ByteBuffer histogram = ByteBuffer.allocate(r.latencyMicros().getNeededByteBufferCapacity());
            r.latencyMicros().encodeIntoCompressedByteBuffer(histogram);
            ObjectNode json = mapper.createObjectNode()
                    .put("sent", r.sent())
                    .put("answered", r.answered())
                    .put("errors", r.errors())
                    .put("seconds", r.seconds())
                    .put("throughput", r.throughput())
                    .put("p50Ms", r.latencyMicros().getValueAtPercentile(50) / 1000.0)
                    .put("p99Ms", r.latencyMicros().getValueAtPercentile(99) / 1000.0)
                    .put("p999Ms", r.latencyMicros().getValueAtPercentile(99.9) / 1000.0)
                    .put("maxMs", r.latencyMicros().getMaxValue() / 1000.0)
                    .put(
                            "histogram",
                            Base64.getEncoder()
                                    .encodeToString(java.util.Arrays.copyOf(histogram.array(), histogram.position())));
            mapper.writeValue(out.toFile(), json);
            return 0;
        }
    }

    @Command(
            name = "bare-server",
            hidden = true,
            description = "The bare hot path baseline as a process; runs until SIGTERM.")
    static final class BareServer implements Callable<Integer> {

        @Option(names = "--port", required = true)
        int port;

        @Option(names = EnvDefaults.BOOTSTRAP_OPTION, required = true)
        String bootstrap;

        @Option(names = "--topic", required = true)
        String topic;

        @Override
        public Integer call() throws Exception {
            return Serving.untilStopped(new BareHotPath(port, bootstrap, topic), "bare-server");
        }
    }

    @Command(
            name = "classic-edge",
            hidden = true,
            description = "A pod of the broadcast benchmark's classic design; runs until SIGTERM.")
    static final class ClassicEdgeServer implements Callable<Integer> {

        @Option(names = "--pod-id", required = true)
        String podId;

        @Option(names = "--port", required = true)
        int port;

        @Option(names = "--redis-port", required = true)
        int redisPort;

        @Option(names = EnvDefaults.BOOTSTRAP_OPTION, required = true)
        String bootstrap;

        @Option(names = "--topic-prefix", required = true)
        String topicPrefix;

        @Override
        public Integer call() throws Exception {
            return Serving.untilStopped(
                    new ClassicEdge(podId, port, redisPort, bootstrap, topicPrefix), "classic-edge");
        }
    }

    @Command(
            name = "fleet",
            hidden = true,
            description = "Charge points of a connection scenario in one process; runs until SIGTERM.")
    static final class FleetRunner implements Callable<Integer> {

        @Option(
                names = "--url",
                required = true,
                description = "ws:// or wss:// base URL; repeat it: each (re)connect picks one at random.")
        List<URI> urls;

        @Option(names = "--count", required = true)
        int count;

        @Option(names = "--id-prefix", defaultValue = "FLEET-")
        String idPrefix;

        @Option(names = "--first-index", defaultValue = "0")
        int firstIndex;

        @Option(
                names = "--bind",
                description = "Local address to connect from (127.0.0.2 ... spreads the ephemeral ports).")
        String bind;

        @Option(names = "--password")
        String password;

        @Option(names = "--backoff", defaultValue = "FIRMWARE")
        LightFleet.Backoff backoff;

        @Option(names = "--connects-per-second", defaultValue = "0")
        int connectsPerSecond;

        @Option(names = "--max-in-flight", defaultValue = "256")
        int maxInFlight;

        @Option(names = "--call-interval", defaultValue = "PT0S")
        Duration callInterval;

        @Option(
                names = "--calls",
                defaultValue = "HEARTBEAT",
                description = "HEARTBEAT or METER_VALUES (after one StartTransaction).")
        LightFleet.Calls calls;

        @Option(names = "--status-file", required = true)
        Path statusFile;

        @Option(names = "--acked-file", required = true)
        Path ackedFile;

        @Override
        public Integer call() throws Exception {
            ObjectMapper mapper = new ObjectMapper();
            try (LightFleet fleet = new LightFleet(new LightFleet.Settings(
                    urls,
                    count,
                    idPrefix,
                    firstIndex,
                    Optional.ofNullable(bind),
                    Optional.ofNullable(password),
                    backoff,
                    connectsPerSecond,
                    maxInFlight,
                    callInterval,
                    calls))) {
                CountDownLatch stopped = new CountDownLatch(1);
                CountDownLatch written = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stopped.countDown();
                    try {
                        written.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                fleet.start();
                while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
                    writeAtomically(statusFile, mapper.writeValueAsBytes(fleet.snapshot()));
                }
                writeAtomically(statusFile, mapper.writeValueAsBytes(fleet.snapshot()));
                writeAtomically(
                        ackedFile, String.join("\n", fleet.acknowledged()).getBytes(StandardCharsets.UTF_8));
                written.countDown();
            }
            return 0;
        }

        private static void writeAtomically(Path file, byte[] bytes) throws IOException {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
