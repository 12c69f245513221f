package io.ocppgw.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.protocol.OcppVersion;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class SessionTest {

    /** Runs handed-in tasks only when the test says so, and counts them. */
    private static final class StepExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();
        int handedIn;

        @Override
        public void execute(Runnable task) {
            handedIn++;
            tasks.add(task);
        }

        void runAll() {
            for (Runnable t; (t = tasks.poll()) != null; ) {
                t.run();
            }
        }
    }

    private final StepExecutor worker = new StepExecutor();
    private final Session session =
            new Session("s-1", "CP-1", OcppVersion.OCPP_1_6, null, Instant.EPOCH, 2, worker, 10);
    private final List<String> started = new ArrayList<>();
    private final List<CompletableFuture<Void>> answers = new ArrayList<>();

    /** A CALL handling that records its start and completes when the test answers it. */
    private CompletableFuture<Void> call(String name) {
        started.add(name);
        CompletableFuture<Void> answered = new CompletableFuture<>();
        answers.add(answered);
        return answered;
    }

    @Test
    void shouldHandleCallsOneAtATimeInArrivalOrder() {
        session.offerCall(() -> call("first"));
        session.offerCall(() -> call("second"));
        worker.runAll();
        assertThat(started).containsExactly("first");

        answers.get(0).complete(null);
        worker.runAll();
        assertThat(started).containsExactly("first", "second");
    }

    @Test
    void shouldNotWakeAWorkerAfterACallWhenNoOtherWaits() {
        session.offerCall(() -> call("first"));
        worker.runAll();
        answers.get(0).complete(null);
        assertThat(worker.handedIn).isEqualTo(1);

        session.offerCall(() -> call("second")); // the session is idle again, so this one starts
        worker.runAll();
        assertThat(started).containsExactly("first", "second");
    }

    @Test
    void shouldRefuseCallsBeyondTheQueueAndStopAfterClosing() {
        assertThat(session.offerCall(() -> call("1"))).isTrue();
        assertThat(session.offerCall(() -> call("2"))).isTrue();
        assertThat(session.offerCall(() -> call("3"))).isTrue();
        assertThat(session.offerCall(() -> call("4"))).isFalse();
        worker.runAll();

        session.closeReason("test");
        answers.get(0).complete(null);
        worker.runAll();
        assertThat(started).containsExactly("1");
    }
}
