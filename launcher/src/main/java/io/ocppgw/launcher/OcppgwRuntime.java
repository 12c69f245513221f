package io.ocppgw.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of the production jar ({@code ocppgw-runtime.jar}, the image's): the roles and the
 * operator's tools only. The development stack, the embedded broker, the simulator and the benchmarks
 * are left out of that jar, with what only they need (the Kafka broker, Scala, JFreeChart, Jedis).
 */
@Command(
        name = "ocppgw",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "A horizontally scalable OCPP-J gateway for EV charging networks, on Kafka (production jar: roles and tools).",
        subcommands = {
            TopicsCommand.class,
            EdgeCommand.class,
            RouteCommand.class,
            ReconcileCommand.class,
            SendCommand.class,
            QueryCommand.class,
            TraceCommand.class,
            CommandLine.HelpCommand.class
        })
public final class OcppgwRuntime {

    public static void main(String[] args) {
        Ocppgw.main(new OcppgwRuntime(), args);
    }
}
