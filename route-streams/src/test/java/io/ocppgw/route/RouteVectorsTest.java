package io.ocppgw.route;

import static io.ocppgw.topics.records.Command.OfflinePolicy.FAIL_FAST;
import static io.ocppgw.topics.records.Command.OfflinePolicy.QUEUE;
import static io.ocppgw.topics.records.DeliveryReport.Status.CONNECTION_LOST;
import static io.ocppgw.topics.records.DeliveryReport.Status.NOT_CONNECTED;
import static io.ocppgw.topics.records.DeliveryReport.Status.RESPONSE;
import static io.ocppgw.topics.records.DeliveryReport.Status.SENT;
import static io.ocppgw.topics.records.DeliveryReport.Status.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.commands.CommandTiming;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The behaviour vectors of routes and commands (R1–R20): one test per row, named by its id. */
class RouteVectorsTest {

    private final RouterHarness h = new RouterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void r1_connectedMakesTheRouteOnline() {
        h.connected("A", "s1", "p0", 10);

        assertThat(h.route("A")).satisfies(r -> {
            assertThat(r.podId()).isEqualTo("p0");
            assertThat(r.sessionId()).isEqualTo("s1");
            assertThat(r.state()).isEqualTo(Route.State.ONLINE);
        });
    }

    @Test
    void r2_aNewerSessionWinsAndTheOldPodIsToldToCloseItsSession() {
        h.connected("A", "s1", "p0", 10);
        h.connected("A", "s2", "p1", 20);

        assertThat(h.route("A").podId()).isEqualTo("p1");
        assertThat(h.route("A").sessionId()).isEqualTo("s2");
        assertThat(h.down()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RoutedCommand.Type.SUPERSEDED);
            assertThat(r.podId()).isEqualTo("p0");
            assertThat(r.sessionId()).isEqualTo("s1");
        });
    }

    @Test
    void r3_aLateDisconnectOfTheOldSessionIsIgnored() {
        h.connected("A", "s1", "p0", 10);
        h.connected("A", "s2", "p1", 20);
        h.disconnected("A", "s1", "p0", 21);

        assertThat(h.route("A").sessionId()).isEqualTo("s2");
        assertThat(h.route("A").state()).isEqualTo(Route.State.ONLINE);
    }

    @Test
    void r4_aLateConnectOfAnOlderSessionLosesAndOnlyItsPodHearsOfIt() {
        h.connected("A", "s2", "p1", 20);
        h.connected("A", "s1", "p0", 10);

        assertThat(h.route("A").sessionId()).isEqualTo("s2");
        assertThat(h.down()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RoutedCommand.Type.SUPERSEDED);
            assertThat(r.podId()).isEqualTo("p0");
            assertThat(r.sessionId()).isEqualTo("s1");
        });
    }

    @Test
    void r5_disconnectMakesTheRouteOfflineButKeepsIt() {
        h.connected("A", "s1", "p0", 10);
        h.disconnected("A", "s1", "p0", 30);

        assertThat(h.route("A").state()).isEqualTo(Route.State.OFFLINE);
        assertThat(h.route("A").lastSeenAt()).isEqualTo(RouterHarness.at(30));
    }

    @Test
    void r6_aRouteToAPodWhoseLeaseExpiredIsOffline() {
        h.connected("A", "s1", "p0", 10);
        h.lease("p0", PodLease.State.READY, 0, 15);
        h.advance(Duration.ofSeconds(20));

        h.command("c1", "A", FAIL_FAST, 60);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.EXPIRED);
            assertThat(r.reason()).isEqualTo(Reason.OFFLINE);
        });
        assertThat(h.down()).isEmpty();
    }

    @Test
    void r7_noRouteAndFailFastExpiresAtOnce() {
        h.command("c2", "B", FAIL_FAST, 60);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.EXPIRED);
            assertThat(r.reason()).isEqualTo(Reason.OFFLINE);
        });
    }

    @Test
    void r8_aQueuedCommandIsRoutedWhenTheChargePointConnects() {
        h.command("c3", "B", QUEUE, 60);
        assertThat(h.down()).isEmpty();
        h.advance(Duration.ofSeconds(5));
        h.connected("B", "s1", "p0", 5);

        assertThat(h.down()).singleElement().satisfies(r -> {
            assertThat(r.command().commandId()).isEqualTo("c3");
            assertThat(r.podId()).isEqualTo("p0");
            assertThat(r.attempt()).isEqualTo(1);
        });
        h.report("c3", "B", SENT, 1);
        h.report("c3", "B", RESPONSE, 1);
        assertThat(h.results())
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.COMPLETED));
    }

    @Test
    void r9_aQueuedCommandExpiresWhenItsTtlPasses() {
        h.command("c4", "B", QUEUE, 10);
        h.advance(Duration.ofSeconds(11));

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.EXPIRED);
            assertThat(r.reason()).isEqualTo(Reason.TTL);
        });
    }

    @Test
    void r10_notConnectedWaitsForTheNewSessionAndRoutesThere() {
        h.connected("A", "s1", "p0", 10);
        h.command("c5", "A", QUEUE, 60);
        h.report("c5", "A", NOT_CONNECTED, 1);
        assertThat(h.down()).hasSize(1);
        h.connected("A", "s2", "p1", 20);

        List<RoutedCommand> down = h.down();
        assertThat(down)
                .filteredOn(r -> r.type() == RoutedCommand.Type.COMMAND)
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.podId()).isEqualTo("p1");
                    assertThat(r.attempt()).isEqualTo(2);
                });
        h.report("c5", "A", SENT, 2);
        h.report("c5", "A", RESPONSE, 2);
        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.COMPLETED);
            assertThat(r.attempts()).isEqualTo(2);
        });
    }

    @Test
    void r11_aSentCommandWhoseSessionEndsIsConnectionLostAndNeverRoutedAgain() {
        h.connected("A", "s1", "p0", 10);
        h.command("c6", "A", QUEUE, 60);
        h.report("c6", "A", SENT, 1);
        h.disconnected("A", "s1", "p0", 30);
        h.connected("A", "s2", "p1", 40);
        h.report("c6", "A", CONNECTION_LOST, 1);

        assertThat(h.results())
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.CONNECTION_LOST));
        assertThat(h.down())
                .filteredOn(r -> r.type() == RoutedCommand.Type.COMMAND)
                .hasSize(1);
    }

    @Test
    void r11_theSessionsDisconnectAloneIsEnoughOnceThePodHadItsBackstopToSayOtherwise() {
        h.connected("A", "s1", "p0", 10);
        h.command("c6", "A", QUEUE, 60);
        h.report("c6", "A", SENT, 1);
        h.disconnected("A", "s1", "p0", 30);
        h.advance(Duration.ofSeconds(20));
        assertThat(h.results())
                .as("its pod reports how the session's commands ended; that report may be late")
                .isEmpty();
        h.advance(Duration.ofSeconds(16)); // past the response timeout (30 s) and the report grace (5 s) since SENT

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.CONNECTION_LOST);
            assertThat(r.reason()).isEqualTo(Reason.SESSION_ENDED);
        });
        h.connected("A", "s2", "p1", 40);
        assertThat(h.down())
                .filteredOn(r -> r.type() == RoutedCommand.Type.COMMAND)
                .hasSize(1);
    }

    @Test
    void r11_theEdgesConnectionLostReportAloneIsEnough() {
        h.connected("A", "s1", "p0", 10);
        h.command("c6", "A", QUEUE, 60);
        h.report("c6", "A", SENT, 1);
        h.report("c6", "A", CONNECTION_LOST, 1);

        assertThat(h.results())
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.CONNECTION_LOST));
    }

    @Test
    void r12_aCommandRoutedToADeadPodIsRoutedAgainToTheNewSession() {
        h.lease("p0", PodLease.State.READY, 0, 15);
        h.connected("A", "s1", "p0", 10);
        h.command("c7", "A", QUEUE, 300);
        h.advance(Duration.ofSeconds(20));
        h.connected("A", "s2", "p1", 30);

        assertThat(h.down())
                .filteredOn(r -> r.type() == RoutedCommand.Type.COMMAND)
                .extracting(RoutedCommand::podId, RoutedCommand::sessionId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("p0", "s1"),
                        org.assertj.core.groups.Tuple.tuple("p1", "s2"));
        assertThat(h.results()).isEmpty();
    }

    @Test
    void r13_theSameCommandTwiceIsOneCommandWithOneOutcome() {
        h.connected("A", "s1", "p0", 10);
        h.command("c8", "A", QUEUE, 60);
        h.command("c8", "A", QUEUE, 60);
        h.report("c8", "A", SENT, 1);
        h.report("c8", "A", RESPONSE, 1);
        h.command("c8", "A", QUEUE, 60);

        assertThat(h.down()).hasSize(1);
        assertThat(h.results()).hasSize(1);
        assertThat(h.counter("ocppgw_route_events", "event", "duplicate")).isEqualTo(2);
    }

    @Test
    void r14_aReusedCommandIdWithOtherContentIsRejectedAsADuplicate() {
        h.connected("A", "s1", "p0", 10);
        h.command(
                "c9",
                "A",
                QUEUE,
                60,
                "Reset",
                JsonNodeFactory.instance.objectNode().put("type", "Soft"));
        h.command(
                "c9",
                "A",
                QUEUE,
                60,
                "Reset",
                JsonNodeFactory.instance.objectNode().put("type", "Hard"));
        h.report("c9", "A", SENT, 1);
        h.report("c9", "A", RESPONSE, 1);

        assertThat(h.down()).hasSize(1);
        assertThat(h.results())
                .extracting(CommandResult::status, CommandResult::duplicate)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CommandResult.Status.REJECTED, true),
                        org.assertj.core.groups.Tuple.tuple(CommandResult.Status.COMPLETED, false));
        assertThat(h.results()).isEmpty();
    }

    @Test
    void r15_aReplyForAnOlderSessionIsNotDeliveredAndGetsARejectionOnceItsWaitIsOver() {
        h.connected("A", "s2", "p1", 20);
        h.reply("A", "s1", "m1");

        assertThat(h.down()).isEmpty();
        assertThat(h.results())
                .as("it may be for a session whose CONNECTED is still on its way")
                .isEmpty();
        assertThat(h.counter("ocppgw_route_events", "event", "reply_waits_for_session"))
                .isEqualTo(1);
        h.reply("A", "s2", "m2");
        assertThat(h.down())
                .singleElement()
                .satisfies(r -> assertThat(r.command().replyTo().messageId()).isEqualTo("m2"));

        h.advance(CommandTiming.ANSWER_BUDGET.plusSeconds(
                1)); // past the answer budget: the charge point has stopped waiting
        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.commandId()).isEqualTo("r-m1");
            assertThat(r.status()).isEqualTo(CommandResult.Status.REJECTED);
            assertThat(r.reason()).isEqualTo(Reason.SESSION_GONE);
        });
        assertThat(h.down()).as("never delivered to the newer session").isEmpty();
    }

    @Test
    void r16_aCommandAfterItsConnectionEventInTimeIsRoutedNeverExpired() {
        h.connected("A", "s1", "p0", 10);
        h.command("c10", "A", FAIL_FAST, 60);

        assertThat(h.down())
                .singleElement()
                .satisfies(r -> assertThat(r.command().commandId()).isEqualTo("c10"));
        assertThat(h.results()).isEmpty();
    }

    @Test
    void r17_sentThenTimeoutIsTimeout() {
        h.connected("A", "s1", "p0", 10);
        h.command("c11", "A", QUEUE, 60);
        h.report("c11", "A", SENT, 1);
        h.report("c11", "A", TIMEOUT, 1);

        assertThat(h.results())
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.TIMEOUT));
    }

    @Test
    void r18_aCallErrorIsFailedWithItsCodeDescriptionAndDetails() {
        h.connected("A", "s1", "p0", 10);
        h.command("c12", "A", QUEUE, 60);
        h.report("c12", "A", SENT, 1);
        h.report(
                "c12",
                "A",
                RESPONSE,
                1,
                new ErrorInfo(
                        "NotSupported",
                        "no such thing",
                        JsonNodeFactory.instance.objectNode().put("hint", "x")));

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.FAILED);
            assertThat(r.error().code()).isEqualTo("NotSupported");
            assertThat(r.error().description()).isEqualTo("no such thing");
            assertThat(r.error().details().get("hint").asText()).isEqualTo("x");
        });
    }

    @Test
    void r19_notConnectedOnEveryAttemptUpToTheBoundIsUndeliverable() {
        h.connected("A", "s1", "p0", 10);
        h.command("c13", "A", QUEUE, 600);
        h.report("c13", "A", NOT_CONNECTED, 1);
        h.connected("A", "s2", "p0", 20);
        h.report("c13", "A", NOT_CONNECTED, 2);
        h.connected("A", "s3", "p0", 30);
        h.report("c13", "A", NOT_CONNECTED, 3);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.UNDELIVERABLE);
            assertThat(r.attempts()).isEqualTo(3);
        });
    }

    @Test
    void r20_anActionTheNegotiatedVersionDoesNotHaveIsRejectedAndNotRouted() {
        h.connected("A", "s1", "p0", 10, "ocpp1.6");
        h.command(
                "c14",
                "A",
                QUEUE,
                60,
                "RequestStartTransaction",
                JsonNodeFactory.instance.objectNode().put("remoteStartId", 1));

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.REJECTED);
            assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_ACTION);
        });
        assertThat(h.down()).isEmpty();
    }
}
