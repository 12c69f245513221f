package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouterKeysTest {

    @Test
    void shouldPadDeadlinesToFifteenDigitsSoKeysSortByTime() {
        assertThat(RouterProcessor.deadlineKeyPrefix(Instant.ofEpochMilli(5))).isEqualTo("000000000000005");
        assertThat(RouterProcessor.deadlineKeyPrefix(Instant.parse("2026-12-01T05:00:00Z"))).isEqualTo("001796101200000");
        assertThat(RouterProcessor.deadlineKeyPrefix(Instant.ofEpochMilli(-1))).isEqualTo("000000000000000");
        assertThat(RouterProcessor.deadlineKey(Instant.ofEpochMilli(999), "CP-1", "c-1"))
                .isLessThan(RouterProcessor.deadlineKey(Instant.ofEpochMilli(1000), "CP-0", "c-0"));
    }
}
