package io.ocppgw.route;

import io.ocppgw.support.Env;
import io.ocppgw.support.streams.StreamsSettings;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import java.time.Duration;
import java.util.Map;

/** route-streams' configuration from {@code OCPPGW_*}/{@code KAFKA_*}, validated once. */
public record RouteConfig(StreamsSettings streams, RouteSettings settings) {

    public static RouteConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        TopicNames topics = env.parsed("OCPPGW_TOPIC_PREFIX", "", TopicNames::new, TopicNames.unprefixed());
        StreamsSettings streams =
                StreamsSettings.fromEnv(env, vars, "route", topics.prefix(), topics.name(Topic.DEAD_LETTERS), 9081);
        RouteSettings defaults = RouteSettings.defaults(topics);
        RouteSettings settings = new RouteSettings(
                topics,
                env.integer("OCPPGW_MAX_ATTEMPTS", defaults.maxAttempts(), 1, 100),
                env.duration("OCPPGW_DEFAULT_TTL", defaults.defaultTtl(), Duration.ofSeconds(1), Duration.ofDays(30)),
                env.duration(
                        "OCPPGW_COMMAND_TIMEOUT",
                        defaults.defaultResponseTimeout(),
                        Duration.ofSeconds(1),
                        Duration.ofHours(1)),
                env.duration(
                        "OCPPGW_ANSWER_BUDGET", defaults.replyWait(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                env.duration(
                        "OCPPGW_REPORT_GRACE", defaults.reportGrace(), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                env.integer("OCPPGW_MAX_PAYLOAD_BYTES", defaults.maxPayloadBytes(), 256, 1 << 20),
                env.integer("OCPPGW_MAX_OPEN_COMMANDS", defaults.maxOpenPerChargePoint(), 1, 100_000),
                0, // read from the cluster at start
                defaults.punctuateInterval(),
                env.duration(
                        "OCPPGW_RESULT_MEMORY", defaults.resultMemory(), Duration.ofMinutes(1), Duration.ofDays(90)));
        env.validate();
        return new RouteConfig(streams, settings);
    }
}
