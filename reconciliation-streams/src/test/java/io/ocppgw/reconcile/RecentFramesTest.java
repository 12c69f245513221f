package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.PayloadRedaction;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentFramesTest {

    private final RecentFrames frames = new RecentFrames(3, new PayloadRedaction(PayloadRedaction.DEFAULT_NAMES));

    private static JournalEntry frame(ObjectNode payload) {
        return new JournalEntry(
                "CP-1",
                "edge-gateway-0",
                "s1",
                "ocpp1.6",
                Direction.TO_CP,
                "CALL",
                "m1",
                "ChangeConfiguration",
                payload,
                null,
                Instant.parse("2026-12-07T10:00:00Z"));
    }

    @Test
    void shouldReuseTheSameFewSlotsInTurnInsideTheChargePointsKeyRange() {
        Set<String> keys = new HashSet<>();
        for (long seq = 0; seq < 10; seq++) {
            String key = frames.key("CP-1", seq);
            assertThat(key.compareTo(RecentFrames.from("CP-1")) >= 0 && key.compareTo(RecentFrames.to("CP-1")) < 0)
                    .isTrue();
            keys.add(key);
        }
        assertThat(keys)
                .as("bounded: a frame overwrites the one three before it")
                .hasSize(3);
        assertThat(frames.key("CP-1", 4)).isEqualTo(frames.key("CP-1", 1));
        assertThat(frames.key("CP-10", 0).compareTo(RecentFrames.to("CP-1")))
                .as("another charge point's keys lie outside")
                .isPositive();
    }

    @Test
    void shouldHideSecretsAndKeepOnlyTheSizeOfAnOversizedPayload() {
        ObjectNode secret = JsonNodeFactory.instance
                .objectNode()
                .put("key", "AuthorizationKey")
                .put("value", "0123456789abcdef0123");
        ObjectNode huge = JsonNodeFactory.instance.objectNode().put("data", "x".repeat(5_000));

        assertThat(frames.keep(7, frame(secret)).entry().payload().path("value").asText())
                .isEqualTo("***");
        assertThat(frames.keep(7, frame(secret)).seq()).isEqualTo(7);
        assertThat(frames.keep(8, frame(huge))
                        .entry()
                        .payload()
                        .path("omittedPayloadBytes")
                        .asInt())
                .isGreaterThan(5_000);
        assertThat(new RecentFrames(0, new PayloadRedaction(PayloadRedaction.DEFAULT_NAMES)).enabled())
                .isFalse();
    }
}
