package io.ocppgw.launcher;

import io.ocppgw.support.ConfigException;
import io.ocppgw.support.Env;
import io.ocppgw.support.Logging;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ocppgw} command line: one jar, one subcommand per role. Exit codes: 0 success, 1 runtime
 * failure (or drift/refusal where a command says so), 2 bad usage or configuration.
 */
@Command(
        name = "ocppgw",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A horizontally scalable OCPP-J gateway for EV charging networks, on Kafka.",
        subcommands = {
            DevCommand.class,
            TopicsCommand.class,
            EdgeCommand.class,
            RouteCommand.class,
            ReconcileCommand.class,
            SendCommand.class,
            QueryCommand.class,
            TraceCommand.class,
            SimulateCommand.class,
            BenchCommand.class,
            KafkaCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Ocppgw {

    static final int EXIT_RUNTIME = 1;
    static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        main(new Ocppgw(), args);
    }

    /** The process: logging from the environment, then the command line of {@code root}; exits with its code. */
    static void main(Object root, String[] args) {
        Env env = Env.system();
        Logging.configure(
                env.choice("OCPPGW_LOG_FORMAT", Logging.Format.class, Logging.Format.TEXT),
                env.choice("OCPPGW_LOG_LEVEL", Logging.Threshold.class, Logging.Threshold.INFO));
        int code = env.problems().isEmpty() ? run(root, System.getenv(), args) : usageError(env);
        System.exit(code);
    }

    private static int usageError(Env env) {
        System.err.println(new ConfigException(env.problems()).getMessage());
        return EXIT_USAGE;
    }

    /** Runs the command line against an environment; returns the exit code. */
    static int run(Map<String, String> environment, String... args) {
        return run(new Ocppgw(), environment, args);
    }

    /** Runs the command line of {@code root} (this one, or the production image's smaller one) against an environment. */
    static int run(Object root, Map<String, String> environment, String... args) {
        EnvDefaults env = new EnvDefaults(environment);
        CommandLine cli = new CommandLine(root)
                .setDefaultValueProvider(env)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Duration.class, Ocppgw::duration);
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            String message = e.getMessage();
            if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
                String source = env.sourceOf(option.longestName())
                        .map(v -> " (the value came from " + v + ")")
                        .orElse("");
                message += source;
            }
            err.println("ocppgw: " + message);
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USAGE;
        });
        cli.setExecutionStrategy(parsed -> {
            checkPorts(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter err = c.getErr();
            if (e instanceof ConfigException) {
                err.println("ocppgw: " + e.getMessage());
                return EXIT_USAGE;
            }
            err.println("ocppgw: " + c.getCommandName() + " failed: " + e.getMessage());
            return EXIT_RUNTIME;
        });
        return cli.execute(args);
    }

    /** A duration option: ISO-8601, with the rule in the error instead of the parser's exception. */
    private static Duration duration(String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an ISO-8601 duration (e.g. PT30S, PT0.5S or PT5M)");
        }
    }

    /**
     * Every {@code --…port} option of the command that runs holds a TCP port (0: a free one), whether it
     * came from the command line or a variable; found before anything starts.
     */
    private static void checkPorts(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (CommandLine.Model.OptionSpec option : p.commandSpec().options()) {
                if (option.longestName().endsWith("port")
                        && option.getValue() instanceof Integer port
                        && (port < 0 || port > 65_535)) {
                    throw new CommandLine.ParameterException(
                            p.commandSpec().commandLine(),
                            "Invalid value for option '" + option.longestName() + "': " + port
                                    + " is not a TCP port (0 to 65535; 0 picks a free one)",
                            option,
                            String.valueOf(port));
                }
            }
        }
    }
}
