package io.ocppgw.launcher;

import io.ocppgw.route.RouteApp;
import io.ocppgw.route.RouteConfig;
import io.ocppgw.support.KafkaWait;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocppgw route}: a route-streams instance. Options are their {@code OCPPGW_*} variables, validated by {@link RouteConfig}. */
@Command(
        name = "route",
        mixinStandardHelpOptions = true,
        description = "Run route-streams: the ChargePointID-to-pod table, command routing and one outcome per command.")
final class RouteCommand implements Callable<Integer> {

    @Option(names = "--admin-port", description = "Health, metrics and query API port. Default: 9081.")
    String adminPort;

    @Option(
            names = "--max-attempts",
            description = "Routings ending in NOT_CONNECTED before UNDELIVERABLE. Default: 3.")
    String maxAttempts;

    @Option(names = "--default-ttl", description = "TTL of commands that give none. Default: PT1H.")
    String defaultTtl;

    @Mixin
    StreamsOptions streams;

    @Option(
            names = "--report-grace",
            description =
                    "How long past its deadline and response timeout a command waits for its pod's report (ISO-8601). Default: PT5S.")
    String reportGrace;

    @Option(names = "--max-payload-bytes", description = "Larger command payloads are REJECTED. Default: 65536.")
    String maxPayloadBytes;

    @Option(
            names = "--max-open-commands",
            description = "Open commands per charge point before new ones are REJECTED. Default: 1000.")
    String maxOpenCommands;

    @Option(
            names = "--result-memory",
            description = "How long a finished commandId is remembered (ISO-8601). Default: PT1H.")
    String resultMemory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        RouteConfig config = RouteConfig.fromEnv(EnvDefaults.variables(spec));
        KafkaWait.untilReady(
                "route",
                config.streams().kafka(),
                config.settings().topics().all(),
                config.streams().host(),
                config.streams().adminPort());
        var service = RouteApp.start(config);
        return Serving.untilStopped(service, "route", service.failure());
    }
}
