package io.ocppgw.reconcile;

import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.PayloadRedaction;
import java.time.Duration;
import java.util.List;

/**
 * What the reconciliation topology needs to know (pure; no Kafka client settings here).
 *
 * @param grace             how long a boot check waits for a stop or resumed readings, and a seqNo hole for
 *                          its late messages, before reporting (wall clock)
 * @param meterGapFactor    a transaction without a sample for longer than this many observed intervals has a METER_GAP
 * @param keepStopped       stopped transactions remembered per charge point, to recognise retried stops
 * @param recentEvents      reconciliation events kept per charge point for the query API
 * @param punctuateInterval how often due timers are checked (wall clock)
 * @param recentFrames      journal frames kept per charge point for the query API (0: none), their secrets hidden
 *                          by these names
 */
public record ReconcileSettings(
        TopicNames topics,
        Duration grace,
        double meterGapFactor,
        int keepStopped,
        int recentEvents,
        Duration punctuateInterval,
        int recentFrames,
        List<String> redactedNames) {

    public ReconcileSettings {
        redactedNames = List.copyOf(redactedNames);
    }

    public static ReconcileSettings defaults(TopicNames topics) {
        return new ReconcileSettings(
                topics, Duration.ofMinutes(5), 3.0, 16, 20, Duration.ofSeconds(1), 50, PayloadRedaction.DEFAULT_NAMES);
    }

    public ReconcileSettings withGrace(Duration grace) {
        return new ReconcileSettings(
                topics,
                grace,
                meterGapFactor,
                keepStopped,
                recentEvents,
                punctuateInterval,
                recentFrames,
                redactedNames);
    }
}
