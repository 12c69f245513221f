package io.ocppgw.support.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.support.streams.CommitPacing.Behind;
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
        long now = 10_000;
        assertThat(CommitPacing.caughtUp(List.of(), now)).isTrue();
        assertThat(CommitPacing.caughtUp(
                        List.of(new Behind(0, now), new Behind(CommitPacing.CAUGHT_UP_RECORDS, now - 100)), now))
                .isTrue();
        assertThat(CommitPacing.caughtUp(
                        List.of(new Behind(0, now), new Behind(CommitPacing.CAUGHT_UP_RECORDS + 1, now - 100)), now))
                .isFalse();
    }

    @Test
    void shouldForgetAPartitionNotHeardOfForLong() {
        long now = 10_000;
        long old = now - CommitPacing.FORGET_AFTER.toMillis() - 1;

        assertThat(CommitPacing.caughtUp(List.of(new Behind(500, old)), now))
                .as("a task gone without close")
                .isTrue();
        assertThat(CommitPacing.caughtUp(List.of(new Behind(500, now - CommitPacing.FORGET_AFTER.toMillis())), now))
                .isFalse();
    }
}
