package io.ocppgw.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.bench.BareHotPath;
import io.ocppgw.bench.BenchReport;
import io.ocppgw.bench.LoadGenerator;
import io.ocppgw.bench.RoutingScenario;
import io.ocppgw.bench.UpstreamScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ocppgw bench SCENARIO}: runs a benchmark on this machine with every part a separate process
 * of this jar, prints a table and writes JSON and PNG charts. Benchmarks are not tests: they assert
 * nothing; CI runs their {@code --smoke} size only to keep them working.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark scenario (broker, gateway and load generators as separate processes); prints a table, writes JSON and PNG.",
        subcommands = {BenchCommand.Upstream.class, BenchCommand.Routing.class, BenchCommand.Load.class, BenchCommand.BareServer.class})
final class BenchCommand {

    static Path thisJar() {
        try {
            return Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the ocppgw jar", e);
        }
    }

    /** What every scenario takes. */
    static final class ScenarioOptions {
        @Option(names = "--smoke", description = "A tiny run that only checks the benchmark works (CI).")
        boolean smoke;

        @Option(names = "--out", defaultValue = "bench-results", description = "Where JSON and PNG go. Default: ${DEFAULT-VALUE}.")
        Path out;
    }

    private static int report(CommandSpec spec, String scenario, Object settings, BenchReport report, Path out) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s benchmark: %s%n", scenario, settings);
        o.print(report.table());
        o.printf("written: %s%n", out.toAbsolutePath());
        o.flush();
        return 0;
    }

    @Command(name = "upstream", mixinStandardHelpOptions = true,
            description = "CALLs answered after acks=all through one edge pod (validation off and strict) against the bare hot path"
                    + " (Undertow + Jackson + KafkaProducer): throughput at saturation, latency at offered loads, CPU per process.")
    static final class Upstream implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--repeats", description = "Runs per measurement. Default: 3 (smoke: 1).")
        Integer repeats;

        @Option(names = "--duration", description = "Measured time per run (ISO-8601). Default: PT15S (smoke: PT2S).")
        Duration duration;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            UpstreamScenario.Settings s = common.smoke ? UpstreamScenario.Settings.smoke(thisJar(), common.out) : UpstreamScenario.Settings.full(thisJar(), common.out);
            s = new UpstreamScenario.Settings(s.jar(), s.outDir(), s.rates(), repeats != null ? repeats : s.repeats(), s.connections(),
                    s.warmup(), duration != null ? duration : s.duration());
            return report(spec, "upstream", s, new UpstreamScenario(s).run(), common.out);
        }
    }

    @Command(name = "routing", mixinStandardHelpOptions = true,
            description = "Commands written to commands at a fixed rate, routed to the pod holding each charge point: latency to the CALL on"
                    + " the socket and to the CommandResult, for exactly_once_v2 and at_least_once.")
    static final class Routing implements Callable<Integer> {

        @Mixin
        ScenarioOptions common;

        @Option(names = "--rate", description = "Commands per second. Default: 1000 (smoke: 20).")
        Integer rate;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RoutingScenario.Settings s = common.smoke ? RoutingScenario.Settings.smoke(thisJar(), common.out) : RoutingScenario.Settings.full(thisJar(), common.out);
            if (rate != null) {
                s = new RoutingScenario.Settings(s.jar(), s.outDir(), rate, s.chargePoints(), s.repeats(), s.warmup(), s.duration());
            }
            return report(spec, "routing", s, new RoutingScenario(s).run(), common.out);
        }
    }

    @Command(name = "load", hidden = true, description = "A load generator process of a scenario; writes its result as JSON.")
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
            LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings(url, subprotocol, idPrefix, connections, rate, warmup, duration,
                    "MeterValues", UpstreamScenario.PAYLOAD));
            ObjectMapper mapper = new ObjectMapper();
            ByteBuffer histogram = ByteBuffer.allocate(r.latencyMicros().getNeededByteBufferCapacity());
            r.latencyMicros().encodeIntoCompressedByteBuffer(histogram);
            ObjectNode json = mapper.createObjectNode().put("sent", r.sent()).put("answered", r.answered()).put("errors", r.errors())
                    .put("seconds", r.seconds()).put("throughput", r.throughput())
                    .put("p50Ms", r.latencyMicros().getValueAtPercentile(50) / 1000.0)
                    .put("p99Ms", r.latencyMicros().getValueAtPercentile(99) / 1000.0)
                    .put("p999Ms", r.latencyMicros().getValueAtPercentile(99.9) / 1000.0)
                    .put("maxMs", r.latencyMicros().getMaxValue() / 1000.0)
                    .put("histogram", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(histogram.array(), histogram.position())));
            mapper.writeValue(out.toFile(), json);
            return 0;
        }
    }

    @Command(name = "bare-server", hidden = true, description = "The bare hot path baseline as a process; runs until SIGTERM.")
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
}
