package io.ocppgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeWaitTest {

    @Test
    void shouldTellTimeWaitRowsFromOthersByTheStateColumn() {
        String timeWait =
                "  12: 0100007F:A2C4 0200007F:1F90 06 00000000:00000000 03:000016B3 00000000     0        0 0 3 0000000000000000";
        String established =
                "  13: 0100007F:A2C6 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 91811 1 0000000000000000 20 4 30 10 -1";
        String listening =
                "   0: 00000000:0006 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0";

        assertThat(TimeWait.isTimeWait(timeWait)).isTrue();
        assertThat(TimeWait.isTimeWait(established)).isFalse();
        assertThat(TimeWait.isTimeWait(listening)).isFalse();
        // both ports here are 0006: a "06" outside the state column does not count
        assertThat(
                        TimeWait.isTimeWait(
                                "  14: 0100007F:0006 0200007F:0006 01 00000000:00000000 00:00000000 00000000     0        0 1 1"))
                .isFalse();
    }
}
