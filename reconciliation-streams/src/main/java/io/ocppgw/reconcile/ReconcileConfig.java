package io.ocppgw.reconcile;

import io.ocppgw.support.Env;
import io.ocppgw.support.streams.StreamsSettings;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** reconciliation-streams' configuration from {@code OCPPGW_*}/{@code KAFKA_*}, validated once. */
public record ReconcileConfig(StreamsSettings streams, ReconcileSettings settings) {

    public static ReconcileConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        TopicNames topics = env.parsed("OCPPGW_TOPIC_PREFIX", "", TopicNames::new, TopicNames.unprefixed());
        StreamsSettings streams =
                StreamsSettings.fromEnv(env, vars, "reconcile", topics.prefix(), topics.name(Topic.DEAD_LETTERS), 9082);
        ReconcileSettings defaults = ReconcileSettings.defaults(topics);
        ReconcileSettings settings = new ReconcileSettings(
                topics,
                env.duration("OCPPGW_GRACE", defaults.grace(), Duration.ofSeconds(1), Duration.ofDays(1)),
                env.integer("OCPPGW_METER_GAP_FACTOR", (int) defaults.meterGapFactor(), 2, 100),
                env.integer("OCPPGW_KEEP_STOPPED", defaults.keepStopped(), 1, 1000),
                env.integer("OCPPGW_RECENT_EVENTS", defaults.recentEvents(), 1, 1000),
                defaults.punctuateInterval(),
                env.integer("OCPPGW_RECENT_FRAMES", defaults.recentFrames(), 0, 1000),
                env.raw("OCPPGW_REDACT").map(v -> List.of(v.split(","))).orElse(defaults.redactedNames()));
        env.validate();
        return new ReconcileConfig(streams, settings);
    }
}
