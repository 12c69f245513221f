package io.ocppgw.launcher;

import io.ocppgw.route.RouteApp;
import io.ocppgw.route.RouteConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocppgw route}: a route-streams instance. Options are their {@code OCPPGW_*} variables, validated by {@link RouteConfig}. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Run route-streams: the ChargePointID-to-pod table, command routing and one outcome per command.")
final class RouteCommand implements Callable<Integer> {

    @Option(names = EnvDefaults.BOOTSTRAP_OPTION, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (env: OCPPGW_BOOTSTRAP_SERVER or KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServer;

    @Option(names = "--admin-port", description = "Health, metrics and query API port. Default: 9081.")
    String adminPort;

    @Option(names = "--host", description = "Address to bind the admin port. Default: 0.0.0.0.")
    String host;

    @Option(names = "--advertised-host", description = "This instance's host as other instances reach it (application.server). Default: 127.0.0.1.")
    String advertisedHost;

    @Option(names = "--state-dir", description = "RocksDB state directory. Default: <tmp>/ocppgw-route.")
    String stateDir;

    @Option(names = "--instance-id", description = "Static group membership id (e.g. the pod name).")
    String instanceId;

    @Option(names = "--processing-guarantee", description = "exactly_once_v2 or at_least_once. Default: exactly_once_v2.")
    String processingGuarantee;

    @Option(names = "--commit-interval", description = "Streams commit interval (ISO-8601). Default: PT0.1S.")
    String commitInterval;

    @Option(names = "--standby-replicas", description = "Standby replicas of the stores. Default: 0.")
    String standbyReplicas;

    @Option(names = "--max-attempts", description = "Routings ending in NOT_CONNECTED before UNDELIVERABLE. Default: 3.")
    String maxAttempts;

    @Option(names = "--default-ttl", description = "TTL of commands that give none. Default: PT1H.")
    String defaultTtl;

    @Option(names = "--topic-prefix", description = "Prefix of every topic name.")
    String topicPrefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        return Serving.untilStopped(RouteApp.start(RouteConfig.fromEnv(EnvDefaults.variables(spec))), "route");
    }
}
