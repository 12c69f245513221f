package io.ocppgw.route;

import io.ocppgw.support.Env;
import io.ocppgw.support.KafkaClientSettings;
import io.ocppgw.topics.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** route-streams' configuration from {@code OCPPGW_*}/{@code KAFKA_*}, validated once. */
public record RouteConfig(Map<String, Object> kafka, TopicNames topics, String applicationId, String host, int adminPort,
                          String advertisedHost, Path stateDir, Optional<String> instanceId, String processingGuarantee,
                          Duration commitInterval, int standbyReplicas, Duration maxTaskIdle, long rocksDbBytes,
                          RouteSettings settings) {

    public RouteConfig {
        kafka = Map.copyOf(kafka);
    }

    public static RouteConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        String bootstrap = env.raw("OCPPGW_BOOTSTRAP_SERVER").or(() -> env.raw("KAFKA_BOOTSTRAP_SERVERS")).orElse("");
        if (bootstrap.isEmpty()) {
            env.problem("OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS) is not set: it is required");
        }
        Map<String, Object> kafka = new HashMap<>(KafkaClientSettings.fromEnv(vars));
        kafka.put("bootstrap.servers", bootstrap);
        String prefix = env.string("OCPPGW_TOPIC_PREFIX", "");
        TopicNames topics;
        try {
            topics = new TopicNames(prefix);
        } catch (IllegalArgumentException e) {
            env.problem("OCPPGW_TOPIC_PREFIX='" + prefix + "': " + e.getMessage());
            topics = TopicNames.unprefixed();
        }
        String guarantee = env.string("OCPPGW_PROCESSING_GUARANTEE", "exactly_once_v2").toLowerCase(Locale.ROOT);
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            env.problem("OCPPGW_PROCESSING_GUARANTEE='" + guarantee + "': must be exactly_once_v2 or at_least_once");
        }
        int adminPort = env.port("OCPPGW_ADMIN_PORT", 9081);
        String host = env.string("OCPPGW_HOST", "0.0.0.0");
        RouteSettings defaults = RouteSettings.defaults(topics);
        RouteSettings settings = new RouteSettings(topics,
                env.integer("OCPPGW_MAX_ATTEMPTS", defaults.maxAttempts(), 1, 100),
                env.duration("OCPPGW_DEFAULT_TTL", defaults.defaultTtl(), Duration.ofSeconds(1), Duration.ofDays(30)),
                env.integer("OCPPGW_MAX_PAYLOAD_BYTES", defaults.maxPayloadBytes(), 256, 1 << 20),
                env.integer("OCPPGW_MAX_OPEN_COMMANDS", defaults.maxOpenPerChargePoint(), 1, 100_000),
                defaults.punctuateInterval(),
                env.duration("OCPPGW_RESULT_MEMORY", defaults.resultMemory(), Duration.ofMinutes(1), Duration.ofDays(90)));
        RouteConfig config = new RouteConfig(kafka, topics,
                env.string("OCPPGW_APPLICATION_ID", prefix + "ocppgw-route"),
                host, adminPort,
                env.string("OCPPGW_ADVERTISED_HOST", "127.0.0.1"),
                Path.of(env.string("OCPPGW_STATE_DIR", System.getProperty("java.io.tmpdir") + "/ocppgw-route")),
                env.raw("OCPPGW_INSTANCE_ID"),
                guarantee,
                env.duration("OCPPGW_COMMIT_INTERVAL", Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMinutes(1)),
                env.integer("OCPPGW_STANDBY_REPLICAS", 0, 0, 5),
                env.duration("OCPPGW_MAX_TASK_IDLE", Duration.ofMillis(500), Duration.ZERO, Duration.ofMinutes(1)),
                (long) env.integer("OCPPGW_ROCKSDB_MEMORY_MB", 64, 8, 64 * 1024) << 20,
                settings);
        env.validate();
        return config;
    }
}
