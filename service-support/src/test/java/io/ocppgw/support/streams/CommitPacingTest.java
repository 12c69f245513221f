package io.ocppgw.support.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CommitPacingTest {

    @Test
    void shouldCountWhatIsFetchedButNotProcessedAndWhatIsNotFetchedYet() {
        // processing offset 9; the consumer fetches from 50 next and the log ends 30 further on
        assertThat(CommitPacing.behind(50, OptionalLong.of(30), 9)).isEqualTo(40 + 30);
        assertThat(CommitPacing.behind(10, OptionalLong.of(0), 9)).isZero();
    }

    @Test
    void shouldTakeAnUnknownLagAsNoneAndNeverGoBelowZero() {
        assertThat(CommitPacing.behind(20, OptionalLong.empty(), 9)).isEqualTo(10);
        // a record processed past the position seen (a seek, a new assignment) is not "behind"
        assertThat(CommitPacing.behind(5, OptionalLong.of(-1), 9)).isZero();
    }

    @Test
    void shouldCommitOnlyWhenEveryInputIsCaughtUp() {
        assertThat(CommitPacing.caughtUp(List.of())).isTrue();
        assertThat(CommitPacing.caughtUp(List.of(0L, CommitPacing.CAUGHT_UP_RECORDS))).isTrue();
        assertThat(CommitPacing.caughtUp(List.of(0L, CommitPacing.CAUGHT_UP_RECORDS + 1))).isFalse();
    }
}
