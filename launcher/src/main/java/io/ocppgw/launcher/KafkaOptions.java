package io.ocppgw.launcher;

import io.ocppgw.support.KafkaClientSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/** The Kafka connection every command shares; other {@code KAFKA_*} variables pass through as client settings. */
final class KafkaOptions {

    @Option(
            names = EnvDefaults.BOOTSTRAP_OPTION,
            required = true,
            paramLabel = "HOST:PORT[,HOST:PORT…]",
            description = "Kafka bootstrap servers (env: OCPPGW_BOOTSTRAP_SERVER or KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    Map<String, Object> clientSettings(Map<String, String> env) {
        Map<String, Object> settings = new HashMap<>(KafkaClientSettings.fromEnv(env));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }
}
