package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.topics.records.JsonSerde;
import org.junit.jupiter.api.Test;

class SeqRangesTest {

    @Test
    void shouldMergeNeighboursAndListTheHolesBetween() {
        SeqRanges seq = new SeqRanges();
        for (int n : new int[] {0, 1, 5, 3, 9}) {
            assertThat(seq.add(n)).isTrue();
        }
        assertThat(seq.add(3)).as("already there").isFalse();
        assertThat(seq.holes(100)).containsExactly(2, 4, 6, 7, 8);

        seq.add(2);
        seq.add(4);
        assertThat(seq.ranges()).hasSize(2);
        assertThat(seq.holes(2)).containsExactly(6, 7);
        assertThat(seq.highest()).isEqualTo(9);
    }

    @Test
    void shouldSurviveTheStoreSerde() {
        SeqRanges seq = new SeqRanges();
        seq.add(0);
        seq.add(1);
        seq.add(4);

        SeqRanges read = JsonSerde.of(SeqRanges.class)
                .deserialize("t", JsonSerde.of(SeqRanges.class).serialize("t", seq));

        assertThat(read.holes(10)).containsExactly(2, 3);
        assertThat(read.contains(1)).isTrue();
    }
}
