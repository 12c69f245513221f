package io.ocppgw.launcher;

import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningPlan;
import io.ocppgw.topics.provisioning.ProvisioningRefusedException;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ocppgw topics plan|apply|verify}: provision the contract's topics on a cluster. */
@Command(
        name = "topics",
        description = "Plan, create and verify the gateway's Kafka topics.",
        mixinStandardHelpOptions = true,
        subcommands = {TopicsCommand.Plan.class, TopicsCommand.Apply.class, TopicsCommand.Verify.class})
final class TopicsCommand {

    /** Options shared by the three subcommands. */
    static final class Target {
        @Mixin
        KafkaOptions kafka;

        @Option(
                names = "--profile",
                defaultValue = "prod",
                paramLabel = "dev|prod",
                description =
                        "dev: P=4, D=8, RF=1 (one broker); prod: P=32, D=128, RF=3, min.insync.replicas=2. Default: ${DEFAULT-VALUE}.")
        String profile;

        @Option(
                names = "--partitions",
                paramLabel = "P",
                description = "Partitions of every chargePointId-keyed topic (overrides the profile).")
        Integer partitions;

        @Option(
                names = "--down-partitions",
                paramLabel = "D",
                description =
                        "Partitions of commands-down, >= the most edge pods you will run (overrides the profile).")
        Integer downPartitions;

        @Option(
                names = "--replication-factor",
                paramLabel = "RF",
                description = "Replicas per partition (overrides the profile).")
        Short replicationFactor;

        @Option(
                names = "--topic-prefix",
                defaultValue = "",
                paramLabel = "PREFIX",
                description = "Prefix of every topic name.")
        String topicPrefix;

        @Option(
                names = "--allow-repartition",
                description =
                        "Accept adding partitions to chargePointId-keyed topics, which remaps keys (order per charge point breaks for a while).")
        boolean allowRepartition;

        @Option(
                names = "--timeout",
                defaultValue = "PT30S",
                paramLabel = "DURATION",
                description = "How long to wait for the cluster (ISO-8601). Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        ProvisioningSettings settings() {
            ProvisioningSettings.Profile p = switch (profile.toLowerCase(Locale.ROOT)) {
                case "dev" -> ProvisioningSettings.Profile.DEV;
                case "prod" -> ProvisioningSettings.Profile.PROD;
                default ->
                    throw new ParameterException(
                            spec.commandLine(),
                            "Invalid value for option '--profile': '" + profile + "' must be dev or prod");
            };
            try {
                TopicNames names = new TopicNames(topicPrefix);
                ProvisioningSettings base = ProvisioningSettings.of(p, names);
                return new ProvisioningSettings(
                        names,
                        partitions != null ? partitions : base.chargePointPartitions(),
                        downPartitions != null ? downPartitions : base.downPartitions(),
                        replicationFactor != null ? replicationFactor : base.replicationFactor(),
                        allowRepartition);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        /** Runs {@code work} with an Admin client; the exit code is what it returns. */
        int withProvisioner(Function<TopicProvisioner, Integer> work) {
            ProvisioningSettings settings = settings();
            var clientSettings = kafka.clientSettings(environment());
            clientSettings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            clientSettings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 15_000));
            PrintWriter out = out();
            out.printf(
                    "Topics on %s (P=%d, D=%d, RF=%d%s):%n",
                    kafka.bootstrapServers,
                    settings.chargePointPartitions(),
                    settings.downPartitions(),
                    settings.replicationFactor(),
                    settings.names().prefix().isEmpty()
                            ? ""
                            : ", prefix '" + settings.names().prefix() + "'");
            try (Admin admin = Admin.create(clientSettings)) {
                return work.apply(new TopicProvisioner(admin, timeout));
            } finally {
                out.flush();
            }
        }

        /** Plans against the cluster and prints one line per topic. */
        ProvisioningPlan printPlan(TopicProvisioner provisioner) {
            ProvisioningPlan plan = provisioner.plan(settings());
            out().print(plan.describe());
            return plan;
        }

        /** The environment {@link Ocppgw#run} was given (tests pass their own), not the process's. */
        private Map<String, String> environment() {
            return ((EnvDefaults) spec.root().commandLine().getDefaultValueProvider()).environment();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description = "Print what apply would change. Exit 0, or 1 if a difference would be refused.")
    static final class Plan implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return target.withProvisioner(p -> {
                ProvisioningPlan plan = target.printPlan(p);
                target.out()
                        .println(
                                plan.isInSync()
                                        ? "Nothing to change."
                                        : plan.changes().size() + " difference(s).");
                return plan.isRefused() ? 1 : 0;
            });
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description =
                    "Create missing topics and align their configs. Re-running is a no-op. Refuses (exit 1, nothing changed) what would remap keys.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return target.withProvisioner(p -> {
                try {
                    ProvisioningPlan done = p.apply(target.settings());
                    target.out().print(done.describe());
                    target.out()
                            .println(
                                    done.isInSync()
                                            ? "Nothing to change."
                                            : "Applied " + done.changes().size() + " change(s).");
                    return 0;
                } catch (ProvisioningRefusedException e) {
                    target.out().print(e.plan().describe());
                    target.err().println(e.getMessage());
                    return 1;
                }
            });
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Exit 0 if every topic is as specified, 1 on any drift.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return target.withProvisioner(p -> {
                ProvisioningPlan plan = target.printPlan(p);
                if (plan.isInSync()) {
                    target.out().println("In sync.");
                    return 0;
                }
                target.err().println("Drift: " + plan.changes().size() + " difference(s); run 'ocppgw topics apply'.");
                return 1;
            });
        }
    }
}
