package io.ocppgw.launcher;

import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.Fleet;
import io.ocppgw.simulator.FleetStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ocppgw simulate}: a fleet of simulated charge points with live progress. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Run N simulated charge points (real WebSockets) against a gateway; prints progress every second.")
final class SimulateCommand implements Callable<Integer> {

    @Option(
            names = "--url",
            defaultValue = "ws://127.0.0.1:8080/ocpp",
            description = "Gateway URL without the identity. Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--count", defaultValue = "10", description = "Charge points. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--ocpp", defaultValue = "1.6", description = "1.6, 2.0.1 or 2.1. Default: ${DEFAULT-VALUE}.")
    String ocpp;

    // not dev --simulate's SIM-: a second fleet against the dev stack would take over its charge points' sessions
    @Option(
            names = "--id-prefix",
            defaultValue = "LOAD-",
            description = "Identities are <prefix><n>. Default: ${DEFAULT-VALUE}.")
    String idPrefix;

    @Option(names = "--password", description = "Basic auth password (security profile 1).")
    String password;

    @Option(
            names = "--connects-per-second",
            defaultValue = "100",
            description = "Connection ramp. Default: ${DEFAULT-VALUE}.")
    int connectsPerSecond;

    @Option(
            names = "--heartbeat",
            defaultValue = "PT60S",
            description = "Heartbeat interval. Default: ${DEFAULT-VALUE}.")
    Duration heartbeat;

    @Option(
            names = "--meter-interval",
            defaultValue = "PT10S",
            description = "MeterValues interval during a transaction. Default: ${DEFAULT-VALUE}.")
    Duration meterInterval;

    @Option(
            names = "--samples",
            defaultValue = "6",
            description = "Meter samples per transaction. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(
            names = "--pause",
            defaultValue = "PT30S",
            description = "Pause between transactions. Default: ${DEFAULT-VALUE}.")
    Duration pause;

    @Option(
            names = "--duration",
            defaultValue = "PT0S",
            description = "Stop after this long; PT0S runs until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        OcppVersion version = OcppVersion.fromToken("ocpp" + ocpp)
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '--ocpp': '" + ocpp + "' must be 1.6, 2.0.1 or 2.1"));
        Fleet.Scenario scenario;
        try {
            scenario = new Fleet.Scenario(
                    url,
                    count,
                    version,
                    idPrefix,
                    Optional.ofNullable(password),
                    connectsPerSecond,
                    heartbeat,
                    meterInterval,
                    samples,
                    pause);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("simulating %d %s charge points against %s/%s<n>%n", count, version.token(), url, idPrefix);
        out.flush();
        long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        try (Fleet fleet = new Fleet(scenario)) {
            Runtime.getRuntime().addShutdownHook(new Thread(fleet::close, "fleet-shutdown"));
            fleet.start();
            FleetStats.Snapshot last = fleet.stats().snapshot();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                last = fleet.stats().snapshot();
                out.println(last.line());
                out.flush();
            }
            out.printf(
                    "done: sent %d, acked %d, errors %d, p99 %.1f ms overall%n",
                    last.sent(), last.acked(), last.errors(), last.p99MsOverall());
            out.flush();
            if (last.everConnected() == 0) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "ocppgw: none of the %d charge points connected to %s; attempts ended: %s%n",
                                count, url, last.refused().isEmpty() ? "none finished" : last.refusals());
                return Ocppgw.EXIT_RUNTIME;
            }
        }
        return 0;
    }
}
