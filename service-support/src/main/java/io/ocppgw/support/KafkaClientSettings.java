package io.ocppgw.support;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Raw Kafka client settings passed through from the environment: {@code KAFKA_SASL_MECHANISM} →
 * {@code sasl.mechanism}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION} → {@code ssl.truststore.location}. This is
 * how TLS and SASL reach every client from one place. Variables of Kafka's own scripts (heap, JVM and
 * log options) are not client settings and are skipped.
 */
public final class KafkaClientSettings {

    static final String PREFIX = "KAFKA_";
    private static final Set<String> NOT_CLIENT_SETTINGS = Set.of(
            "KAFKA_HEAP_OPTS",
            "KAFKA_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_LOG4J_OPTS",
            "KAFKA_GC_LOG_OPTS",
            "KAFKA_JMX_OPTS",
            "KAFKA_DEBUG",
            "KAFKA_HOME");

    private KafkaClientSettings() {}

    public static Map<String, Object> fromEnv(Map<String, String> env) {
        Map<String, Object> settings = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX)
                    && name.length() > PREFIX.length()
                    && !NOT_CLIENT_SETTINGS.contains(name)
                    && value != null
                    && !value.isBlank()) {
                settings.put(
                        name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
            }
        });
        return settings;
    }
}
