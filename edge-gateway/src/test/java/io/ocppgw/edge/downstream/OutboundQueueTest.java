package io.ocppgw.edge.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    @Test
    void shouldHandOutOneCommandAtATimeInOrderAndRememberWhatWasSent() {
        OutboundQueue q = new OutboundQueue(2);
        assertThat(q.offer(routed("c1"))).isTrue();
        assertThat(q.offer(routed("c2"))).isTrue();
        assertThat(q.offer(routed("c3"))).as("bounded").isFalse();

        RoutedCommand first = q.next().orElseThrow();
        q.sent(new OutboundQueue.InFlight(first, 0, null));

        assertThat(first.command().commandId()).isEqualTo("c1");
        assertThat(q.next()).as("one outstanding at a time").isEmpty();
        assertThat(q.alreadySent("c1")).isTrue();
        assertThat(q.settle("other")).isEmpty();
        assertThat(q.settle("c1")).isPresent();
        assertThat(q.next().orElseThrow().command().commandId()).isEqualTo("c2");
        assertThat(q.depth()).isZero();
    }

    @Test
    void shouldGiveBackTheOutstandingAndTheWaitingWhenTheSessionEnds() {
        OutboundQueue q = new OutboundQueue(10);
        q.offer(routed("c1"));
        q.offer(routed("c2"));
        q.sent(new OutboundQueue.InFlight(q.next().orElseThrow(), 0, null));

        assertThat(q.takeInFlight()).hasValueSatisfying(f -> assertThat(f.command().command().commandId()).isEqualTo("c1"));
        assertThat(q.drainWaiting()).extracting(r -> r.command().commandId()).containsExactly("c2");
        assertThat(q.depth()).isZero();
    }

    private static RoutedCommand routed(String id) {
        Command c = new Command(id, "CP", Command.Kind.CALL, "Reset", null, Instant.now(), null, null, null, null, null, null);
        return new RoutedCommand(RoutedCommand.Type.COMMAND, "CP", "edge-gateway-0", 0, "s1", 1, Instant.now(), c);
    }
}
