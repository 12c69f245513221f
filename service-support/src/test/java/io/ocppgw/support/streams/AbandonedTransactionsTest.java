package io.ocppgw.support.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AbandonedTransactionsTest {

    private static final String APP = "ocppgw-route";
    private static final String LIVE = "7ab952cf-8ae5-42f4-9e0f-f53ad61b61d4";
    private static final String GONE = "9be32c00-5b2c-407d-a89f-1f727a950aa9";

    @Test
    void shouldNameTheOpenTransactionsOfProcessesWithNoMemberInTheGroup() {
        List<String> open = List.of(APP + "-" + LIVE + "-1", APP + "-" + GONE + "-1", APP + "-" + GONE + "-2");
        List<String> members = List.of(APP + "-" + LIVE + "-StreamThread-1-consumer");

        assertThat(AbandonedTransactions.abandoned(APP, open, members))
                .containsExactly(APP + "-" + GONE + "-1", APP + "-" + GONE + "-2");
    }

    @Test
    void shouldLeaveTransactionsAloneWhoseProcessStillHasAMember() {
        List<String> open = List.of(APP + "-" + LIVE + "-1", APP + "-" + LIVE + "-2");
        List<String> members = List.of(APP + "-" + LIVE + "-StreamThread-2-consumer");

        assertThat(AbandonedTransactions.abandoned(APP, open, members)).isEmpty();
    }

    @Test
    void shouldNeverNameATransactionOfAnotherApplicationOrOfAnUnknownShape() {
        // "ocppgw-route-x" shares the prefix "ocppgw-route-"; its ids do not carry a process id right after it
        List<String> open = List.of(
                "ocppgw-route-x-" + GONE + "-1",
                "ocppgw-reconcile-" + GONE + "-1",
                APP + "-not-a-process-id-at-all-1",
                APP + "-");
        List<String> members = List.of(APP + "-" + LIVE + "-StreamThread-1-consumer");

        assertThat(AbandonedTransactions.abandoned(APP, open, members)).isEmpty();
    }

    @Test
    void shouldNameNothingWhenTheMembersClientIdsCarryNoProcessId() {
        // a client.id set by the operator replaces the one that names the process
        List<String> open = List.of(APP + "-" + GONE + "-1");

        assertThat(AbandonedTransactions.abandoned(APP, open, List.of("my-client-StreamThread-1-consumer")))
                .isEmpty();
    }

    @Test
    void shouldReadTheProcessIdFromClientAndTransactionalIds() {
        assertThat(AbandonedTransactions.processId(APP, APP + "-" + LIVE + "-StreamThread-1-consumer"))
                .isEqualTo(LIVE);
        assertThat(AbandonedTransactions.processId(APP, APP + "-" + LIVE + "-3"))
                .isEqualTo(LIVE);
        assertThat(AbandonedTransactions.processId(APP, "other-" + LIVE + "-3")).isEmpty();
    }
}
