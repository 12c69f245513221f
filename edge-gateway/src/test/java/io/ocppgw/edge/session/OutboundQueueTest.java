package io.ocppgw.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    @Test
    void shouldHandOutOneCommandAtATimeInOrderAndRememberWhatTheSessionTook() {
        OutboundQueue q = new OutboundQueue(2);
        assertThat(q.offer(routed("c1", 1))).isTrue();
        assertThat(q.offer(routed("c2", 1))).isTrue();
        assertThat(q.offer(routed("c3", 1))).as("bounded").isFalse();

        OutboundQueue.InFlight first = q.start(q.next().orElseThrow());

        assertThat(first.command().command().commandId()).isEqualTo("c1");
        assertThat(q.next()).as("one outstanding at a time").isEmpty();
        assertThat(q.took("c1")).isTrue();
        assertThat(q.took("c2")).as("waiting counts as taken").isTrue();
        assertThat(q.settle("c1"))
                .as("not on the wire yet: no answer can settle it")
                .isEmpty();
        first.onWire(0, null);
        assertThat(q.settle("other")).isEmpty();
        assertThat(q.settle("c1")).isPresent();
        assertThat(q.next().orElseThrow().command().commandId()).isEqualTo("c2");
        assertThat(q.depth()).isZero();
    }

    @Test
    void shouldForgetAWithdrawnCommandButRememberAReleasedOne() {
        OutboundQueue q = new OutboundQueue(4);
        q.offer(routed("c1", 1));
        q.offer(routed("c2", 1));
        OutboundQueue.InFlight c1 = q.start(q.next().orElseThrow());
        q.withdraw(c1); // its write-ahead finished after the pod's lease lapsed: never on the wire

        assertThat(q.took("c1"))
                .as("a newer attempt may come back to this session")
                .isFalse();
        assertThat(q.isCurrent(c1)).isFalse();
        OutboundQueue.InFlight c2 = q.start(q.next().orElseThrow());
        q.release(c2); // its session ended: the session did take it

        assertThat(q.took("c2")).isTrue();
        assertThat(q.depth()).isZero();
    }

    @Test
    void shouldCarryAWaitingCommandOnUnderANewerAttempt() {
        OutboundQueue q = new OutboundQueue(10);
        q.offer(routed("c0", 1));
        q.start(q.next().orElseThrow());
        q.offer(routed("c1", 1));
        q.offer(routed("c2", 1));

        assertThat(q.replaceWaiting(routed("c1", 2))).isTrue();
        assertThat(q.replaceWaiting(routed("c9", 2))).isFalse();
        assertThat(q.drainWaiting()).extracting(RoutedCommand::attempt).containsExactly(2, 1);
    }

    @Test
    void shouldReleaseAnOutstandingCommandThatNeverReachedTheWire() {
        OutboundQueue q = new OutboundQueue(10);
        q.offer(routed("c1", 1));
        q.offer(routed("c2", 1));
        OutboundQueue.InFlight f = q.start(q.next().orElseThrow());

        q.release(f);

        assertThat(q.inFlight()).isEmpty();
        assertThat(q.next().orElseThrow().command().commandId()).isEqualTo("c2");
        assertThat(q.took("c1")).as("still never sent again in this session").isTrue();
    }

    private static RoutedCommand routed(String id, int attempt) {
        Command c = new Command(
                id, "CP", Command.Kind.CALL, "Reset", null, Instant.now(), null, null, null, null, null, null);
        return new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                "CP",
                "edge-gateway-0",
                0,
                "s1",
                attempt,
                Instant.now(),
                c,
                null,
                null,
                null,
                null,
                null);
    }
}
