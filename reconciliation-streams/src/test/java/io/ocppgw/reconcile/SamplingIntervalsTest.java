package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SamplingIntervalsTest {

    private final Map<Long, Integer> counts = new TreeMap<>();

    @Test
    void shouldExpectNothingBeforeAnIntervalOfASecondOrMoreWasSeen() {
        SamplingIntervals.observe(counts, 1);
        SamplingIntervals.observe(counts, 999);
        assertThat(SamplingIntervals.expectedMillis(counts)).isNull();
    }

    @Test
    void shouldExpectTheMostCommonIntervalNotTheLast() {
        for (long ms : new long[] {30_000, 30_000, 30_000, 2_000, 30_100, 5_000}) {
            SamplingIntervals.observe(counts, ms);
        }
        assertThat(SamplingIntervals.expectedMillis(counts)).isEqualTo(30_000);
    }

    @Test
    void shouldPreferTheLongerIntervalOnATie() {
        SamplingIntervals.observe(counts, 5_000);
        SamplingIntervals.observe(counts, 60_000);
        assertThat(SamplingIntervals.expectedMillis(counts)).isEqualTo(60_000);
    }

    @Test
    void shouldKeepABoundedNumberOfDistinctIntervalsAndDropTheRarest() {
        SamplingIntervals.observe(counts, 60_000);
        SamplingIntervals.observe(counts, 60_000);
        for (int s = 1; s <= SamplingIntervals.MAX_DISTINCT + 5; s++) {
            SamplingIntervals.observe(counts, 100_000L + s * 1000L);
        }
        assertThat(counts).hasSize(SamplingIntervals.MAX_DISTINCT).containsEntry(60L, 2);
        assertThat(SamplingIntervals.expectedMillis(counts)).isEqualTo(60_000);
    }
}
