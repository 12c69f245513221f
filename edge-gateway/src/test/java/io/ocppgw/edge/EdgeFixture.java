package io.ocppgw.edge;

import io.ocppgw.embedded.FreePorts;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** An edge pod on a real broker, with its own topic prefix, for one test class. */
final class EdgeFixture implements AutoCloseable {

    final String bootstrap;
    final TopicNames topics;
    final EdgeApp app;

    private EdgeFixture(String bootstrap, TopicNames topics, EdgeApp app) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.app = app;
    }

    static TopicNames provision(String bootstrap) {
        TopicNames names = new TopicNames("t" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        return names;
    }

    static EdgeFixture start(String bootstrap, Map<String, String> overrides) {
        TopicNames names = provision(bootstrap);
        return new EdgeFixture(
                bootstrap,
                names,
                EdgeApp.start(EdgeConfig.fromEnv(env(bootstrap, names, overrides)), Clock.systemUTC()));
    }

    /** Another pod on topics that already exist. */
    static EdgeFixture startOn(String bootstrap, TopicNames names, Map<String, String> overrides) {
        return new EdgeFixture(
                bootstrap,
                names,
                EdgeApp.start(EdgeConfig.fromEnv(env(bootstrap, names, overrides)), Clock.systemUTC()));
    }

    static Map<String, String> env(String bootstrap, TopicNames names, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("OCPPGW_BOOTSTRAP_SERVER", bootstrap);
        env.put("OCPPGW_TOPIC_PREFIX", names.prefix());
        env.put("OCPPGW_POD_ID", "edge-gateway-3");
        env.put("OCPPGW_HOST", "127.0.0.1");
        env.put("OCPPGW_PORT", String.valueOf(FreePorts.loopback()));
        env.put("OCPPGW_ADMIN_PORT", String.valueOf(FreePorts.loopback()));
        env.put("OCPPGW_DRAIN_WINDOW", "PT0.5S");
        env.putAll(overrides);
        return env;
    }

    String url() {
        return "ws://127.0.0.1:" + app.port() + "/ocpp";
    }

    String adminUrl() {
        return "http://127.0.0.1:" + app.adminPort();
    }

    /** Every record of a topic so far, in partition order then offset order. */
    <T> List<ConsumerRecord<String, T>> read(Topic topic, Class<T> type) {
        return readAll(bootstrap, topics.name(topic), type);
    }

    static <T> List<ConsumerRecord<String, T>> readAll(String bootstrap, String topic, Class<T> type) {
        return io.ocppgw.embedded.TopicContents.readAll(bootstrap, topic, JsonSerde.of(type));
    }

    @Override
    public void close() {
        app.close();
    }
}
