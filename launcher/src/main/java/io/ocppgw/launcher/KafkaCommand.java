package io.ocppgw.launcher;

import io.ocppgw.embedded.BrokerSettings;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningPlan;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocppgw kafka}: a real single-node broker for local work (not for production). */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "Run a single-node KRaft Kafka broker in this process with the gateway's topics (dev profile),"
                + " for development. Ctrl-C stops it.")
final class KafkaCommand implements Callable<Integer> {

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Client port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--data-dir",
            description = "Keep the broker's data here across restarts; absent: a temporary directory removed at exit.")
    Path dataDir;

    @Option(
            names = "--topics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Create the gateway's topics with the dev profile (P=4, D=8, RF=1). Default: ${DEFAULT-VALUE}.")
    boolean topics;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        BrokerSettings settings = BrokerSettings.ephemeral().withPort(port);
        if (dataDir != null) {
            settings = settings.withDataDir(dataDir);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(settings);
        if (topics) {
            try (Admin admin = kafka.admin()) {
                ProvisioningPlan plan = new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, TopicNames.unprefixed()));
                spec.commandLine().getOut().print(plan.describe());
            } catch (RuntimeException e) {
                kafka.close(); // a kept data directory with other topics can refuse; stop cleanly, then report
                throw e;
            }
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "Kafka broker ready: --bootstrap-server %s (data in %s)%n",
                        kafka.bootstrapServers(), kafka.dataDir());
        spec.commandLine().getOut().flush();
        kafka.runUntilJvmShutdown();
        return 0;
    }
}
