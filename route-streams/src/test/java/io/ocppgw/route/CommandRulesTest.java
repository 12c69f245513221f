package io.ocppgw.route;

import static io.ocppgw.topics.records.Command.OfflinePolicy.FAIL_FAST;
import static io.ocppgw.topics.records.Command.OfflinePolicy.QUEUE;
import static io.ocppgw.topics.records.DeliveryReport.Status.CONNECTION_LOST;
import static io.ocppgw.topics.records.DeliveryReport.Status.NOT_CONNECTED;
import static io.ocppgw.topics.records.DeliveryReport.Status.REJECTED;
import static io.ocppgw.topics.records.DeliveryReport.Status.RESPONSE;
import static io.ocppgw.topics.records.DeliveryReport.Status.SENT;
import static io.ocppgw.topics.records.DeliveryReport.Status.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.commands.CommandTiming;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult.Status;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandRules} directly, one test per row of the command delivery table in
 * {@code docs/architecture.md} (the row id starts the test name). Defaults: response timeout 30 s,
 * report grace 5 s, reply wait 10 s, 3 attempts.
 */
class CommandRulesTest {

    private final InMemoryRouter r = new InMemoryRouter();

    @Nested
    class Commands {

        @Test
        void c1_aCommandWithoutAnIdentityThatCanBeAnsweredIsRejectedAndNotRemembered() {
            r.send(
                    "A",
                    new Command(
                            "x".repeat(37),
                            "A",
                            Command.Kind.CALL,
                            "Reset",
                            JsonNodeFactory.instance.objectNode(),
                            r.now,
                            null,
                            null,
                            QUEUE,
                            null,
                            null,
                            null),
                    0,
                    false);
            r.send("B", r.command("k1", "A", QUEUE, 60), 0, false);
            r.sendUnreadable("k2", "A", "'kind' cannot be read");

            assertThat(r.results)
                    .extracting(c -> c.reason(), c -> c.status())
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(Reason.INVALID, Status.REJECTED))
                    .hasSize(3);
            assertThat(r.finished("A", "k1")).isEmpty();
        }

        @Test
        void c2_aCommandOnAPartitionItsKeyDoesNotHashToIsWrittenAgainToTheRightOne() {
            InMemoryRouter four = new InMemoryRouter(
                    RouteSettings.defaults(TopicNames.unprefixed()).withCommandPartitions(4));
            String cp = "CP-7";
            int right = io.ocppgw.topics.ChargePointPartitions.of(cp, 4);

            four.send(cp, four.command("c1", cp, QUEUE, 60), (right + 1) % 4, false);

            assertThat(four.rekeyed).extracting(Command::commandId).containsExactly("c1");
            assertThat(four.results).isEmpty();
            assertThat(four.entry(cp, "c1"))
                    .as("the partition it belongs to takes it")
                    .isEmpty();
        }

        @Test
        void c3_aCommandStillOnAWrongPartitionAfterBeingMovedIsRejectedNamingThePartitioner() {
            InMemoryRouter four = new InMemoryRouter(
                    RouteSettings.defaults(TopicNames.unprefixed()).withCommandPartitions(4));
            int right = io.ocppgw.topics.ChargePointPartitions.of("CP-7", 4);

            four.send("CP-7", four.command("c1", "CP-7", QUEUE, 60), (right + 1) % 4, true);

            assertThat(four.onlyResult().reason()).isEqualTo(Reason.WRONG_PARTITION);
            assertThat(four.onlyResult().description()).contains("murmur2");
        }

        @Test
        void c4_theSameCommandAgainChangesNothingWhetherOpenOrFinished() {
            r.connected("A", "s1", "p0", 1);
            Command c = r.command("c1", "A", QUEUE, 60);
            r.send(c);
            r.send(c);
            r.report("c1", "A", SENT);
            r.report("c1", "A", RESPONSE);
            r.send(c);

            assertThat(r.commandsDown()).hasSize(1);
            assertThat(r.onlyResult().status()).isEqualTo(Status.COMPLETED);
            assertThat(r.counted).filteredOn("duplicate"::equals).hasSize(2);
        }

        @Test
        void c5_aReusedCommandIdWithOtherContentIsRejectedAsADuplicateAndTheFirstGoesOn() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command(
                    "c1", "A", "Reset", JsonNodeFactory.instance.objectNode().put("type", "Soft")));
            r.send(r.command(
                    "c1", "A", "Reset", JsonNodeFactory.instance.objectNode().put("type", "Hard")));

            assertThat(r.onlyResult().reason()).isEqualTo(Reason.DUPLICATE_COMMAND_ID);
            assertThat(r.onlyResult().duplicate()).isTrue();
            assertThat(r.entry("A", "c1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.ROUTED));
        }

        @Test
        void c6_invalidContentIsRejectedAndRemembered() {
            r.send(new Command(
                    "c1",
                    "A",
                    Command.Kind.CALL,
                    "Reset",
                    JsonNodeFactory.instance.objectNode(),
                    r.now,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));

            assertThat(r.onlyResult().reason()).isEqualTo(Reason.INVALID);
            assertThat(r.onlyResult().description()).contains("offlinePolicy");
            assertThat(r.finished("A", "c1")).isPresent();
        }

        @Test
        void c6_aPayloadOverTheLimitIsTooLarge() {
            InMemoryRouter small = new InMemoryRouter(
                    RouteSettings.defaults(TopicNames.unprefixed()).withLimits(512, 1000));
            small.send(small.command(
                    "c1",
                    "A",
                    "DataTransfer",
                    JsonNodeFactory.instance.objectNode().put("vendorId", "v").put("data", "d".repeat(600))));

            assertThat(small.onlyResult().reason()).isEqualTo(Reason.TOO_LARGE);
        }

        @Test
        void c7_anActionOrPayloadTheChargePointsVersionRefusesIsRejected() {
            r.connected("A", "s1", "p0", 1, "inc-p0", "ocpp1.6");
            r.connected("B", "s1", "p0", 1, "inc-p0", "ocpp2.0.1");
            r.send(r.command(
                    "c1",
                    "A",
                    "RequestStartTransaction",
                    JsonNodeFactory.instance.objectNode().put("remoteStartId", 1)));
            r.send(r.command(
                    "c2", "B", "Reset", JsonNodeFactory.instance.objectNode().put("type", "Soft")));

            assertThat(r.results).extracting(c -> c.reason()).containsExactly(Reason.UNSUPPORTED_ACTION, Reason.SCHEMA);
            assertThat(r.down).isEmpty();
        }

        @Test
        void c8_aChargePointWithTheMostOpenCommandsGetsNoMore() {
            InMemoryRouter two = new InMemoryRouter(
                    RouteSettings.defaults(TopicNames.unprefixed()).withLimits(65536, 2));
            for (String id : new String[] {"c1", "c2", "c3"}) {
                two.send(two.command(id, "B", QUEUE, 60));
            }

            assertThat(two.onlyResult().commandId()).isEqualTo("c3");
            assertThat(two.onlyResult().reason()).isEqualTo(Reason.TOO_MANY_OPEN_COMMANDS);
        }

        @Test
        void c9_aCommandWhoseDeadlineHasPassedExpiresAtOnce() {
            r.connected("A", "s1", "p0", 1);
            r.send(new Command(
                    "c1",
                    "A",
                    Command.Kind.CALL,
                    "Reset",
                    JsonNodeFactory.instance.objectNode().put("type", "Soft"),
                    r.now,
                    r.now.minusSeconds(1),
                    null,
                    QUEUE,
                    null,
                    null,
                    null));

            assertThat(r.onlyResult().status()).isEqualTo(Status.EXPIRED);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.TTL);
        }

        @Test
        void c10_aLiveRouteGetsTheCommandWithItsDeadlineResponseTimeoutAndCheckedVersion() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));

            assertThat(r.commandsDown()).singleElement().satisfies(d -> {
                assertThat(d.podId()).isEqualTo("p0");
                assertThat(d.sessionId()).isEqualTo("s1");
                assertThat(d.incarnation()).isEqualTo("inc-p0");
                assertThat(d.attempt()).isEqualTo(1);
                assertThat(d.deadline()).isEqualTo(r.now.plusSeconds(60));
                assertThat(d.responseTimeout()).hasSeconds(30);
                assertThat(d.checkedFor()).isEqualTo("ocpp1.6");
            });
        }

        @Test
        void c11_failFastWithoutALiveRouteExpiresOffline() {
            r.send(r.command("c1", "B", FAIL_FAST, 60));

            assertThat(r.onlyResult().reason()).isEqualTo(Reason.OFFLINE);
        }

        @Test
        void c12_queueWithoutALiveRouteIsParked() {
            r.send(r.command("c1", "B", QUEUE, 60));

            assertThat(r.results).isEmpty();
            assertThat(r.entry("B", "c1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.PARKED));
        }
    }

    @Nested
    class Replies {

        @Test
        void p1_aReplyForTheRoutesOnlineSessionGoesToItsPod() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.reply("r1", "A", "s1", "m1"));

            assertThat(r.down).singleElement().satisfies(d -> {
                assertThat(d.podId()).isEqualTo("p0");
                assertThat(d.command().kind()).isEqualTo(Command.Kind.REPLY);
            });
            assertThat(r.entry("A", "r1")).isEmpty();
        }

        @Test
        void p2_aReplyForASessionThatEndedIsRejected() {
            r.connected("A", "s1", "p0", 1);
            r.disconnected("A", "s1", "p0", 2);
            r.send(r.reply("r1", "A", "s1", "m1"));

            assertThat(r.onlyResult().reason()).isEqualTo(Reason.SESSION_GONE);
            assertThat(r.down).isEmpty();
        }

        @Test
        void p3_p4_aReplyForASessionNotYetKnownWaitsForItsConnected() {
            r.send(r.reply("r1", "A", "s1", "m1"));
            assertThat(r.entry("A", "r1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.WAITING_SESSION));

            r.connected("A", "s1", "p0", 1);

            assertThat(r.down)
                    .singleElement()
                    .satisfies(
                            d -> assertThat(d.command().replyTo().messageId()).isEqualTo("m1"));
            assertThat(r.entry("A", "r1")).isEmpty();
            assertThat(r.results).isEmpty();
        }

        @Test
        void p6_aReplyWhoseSessionNeverAppearsIsRejectedAfterTheAnswerBudget() {
            r.send(r.reply("r1", "A", "s9", "m1"));
            r.advanceTo(CommandTiming.ANSWER_BUDGET.toSeconds() - 1);
            assertThat(r.results).isEmpty();

            r.advanceTo(CommandTiming.ANSWER_BUDGET.toSeconds());

            assertThat(r.onlyResult().reason()).isEqualTo(Reason.SESSION_GONE);
            assertThat(r.entry("A", "r1")).isEmpty();
        }

        @Test
        void p7_aReplyThePodRefusedGetsARejectionWithThePodsReason() {
            r.replyReport("r1", "A", Reason.SCHEMA);

            assertThat(r.onlyResult().status()).isEqualTo(Status.REJECTED);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.SCHEMA);
        }
    }

    @Nested
    class Connections {

        @Test
        void n1_aLateConnectedOfAnOlderSessionOnlyTellsItsPodToCloseIt() {
            r.connected("A", "s2", "p1", 20);
            r.connected("A", "s1", "p0", 10);

            assertThat(r.route("A").sessionId()).isEqualTo("s2");
            assertThat(r.down).singleElement().satisfies(d -> {
                assertThat(d.type()).isEqualTo(RoutedCommand.Type.SUPERSEDED);
                assertThat(d.podId()).isEqualTo("p0");
            });
        }

        @Test
        void n2_aNewerSessionReplacesTheOnlineOneAndItsPodIsToldToCloseIt() {
            r.connected("A", "s1", "p0", 10);
            r.connected("A", "s2", "p1", 20);

            assertThat(r.route("A").podId()).isEqualTo("p1");
            assertThat(r.down)
                    .singleElement()
                    .satisfies(d -> assertThat(d.sessionId()).isEqualTo("s1"));
        }

        @Test
        void n3_parkedCommandsGoToTheNewSession() {
            r.send(r.command("c1", "A", QUEUE, 60));
            r.connected("A", "s1", "p0", 1);

            assertThat(r.commandsDown())
                    .singleElement()
                    .satisfies(d -> assertThat(d.sessionId()).isEqualTo("s1"));
        }

        @Test
        void n4_aCommandRoutedToAnotherSessionOfALivePodWaitsForThatPodsReport() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.connected("A", "s2", "p1", 2);
            assertThat(r.commandsDown())
                    .as("p0 may still send it to s1 before it closes s1")
                    .hasSize(1);

            r.report("c1", "A", NOT_CONNECTED);

            assertThat(r.commandsDown())
                    .extracting(RoutedCommand::sessionId, RoutedCommand::attempt)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("s1", 1), org.assertj.core.groups.Tuple.tuple("s2", 2));
        }

        @Test
        void n4_aCommandRoutedToASilentPodGoesToTheNewSessionAtOnce() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 300));
            r.advanceTo(20); // p0 refuses, unsent, what was routed to it while its lease had lapsed
            r.connected("A", "s2", "p1", 20);

            assertThat(r.commandsDown())
                    .extracting(RoutedCommand::sessionId, RoutedCommand::attempt)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("s1", 1), org.assertj.core.groups.Tuple.tuple("s2", 2));
        }

        @Test
        void n4_orWaitsParkedWhenTheNewSessionsPodCannotTakeIt() {
            r.lease("p0", PodLease.State.STOPPED, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.send(r.command("c1", "A", QUEUE, 60));
            r.lease("p0", PodLease.State.STOPPED, 2, 15, "inc-p0");
            r.lease("p1", PodLease.State.STOPPED, 0, 15, "inc-p1");
            r.connected("A", "s2", "p1", 2);

            assertThat(r.commandsDown()).hasSize(1);
            assertThat(r.entry("A", "c1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.PARKED));
        }

        @Test
        void s6_aCommandAPodRefusedBecauseItsLeaseHadLapsedMayGoToTheSameSessionAgain() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", NOT_CONNECTED, 1, "p0", "s1", Reason.LEASE_LAPSED, null);

            assertThat(r.commandsDown())
                    .extracting(RoutedCommand::sessionId, RoutedCommand::attempt)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("s1", 1), org.assertj.core.groups.Tuple.tuple("s1", 2));
        }

        @Test
        void n5_aSentCommandOfTheOldSessionWaitsForItsLivePodsReport() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.connected("A", "s2", "p1", 2);
            assertThat(r.results).isEmpty();

            r.report("c1", "A", RESPONSE);

            assertThat(r.onlyResult().status())
                    .as("the charge point answered on the old session")
                    .isEqualTo(Status.COMPLETED);
            assertThat(r.commandsDown()).hasSize(1);
        }

        @Test
        void n6_aSentCommandOfAPodThatRestartedIsConnectionLostWhenTheChargePointReconnects() {
            r.connected("A", "s1", "p0", 1, "inc-1", "ocpp1.6");
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.connected("A", "s2", "p0", 5, "inc-2", "ocpp1.6"); // same pod id, new process

            assertThat(r.onlyResult().status()).isEqualTo(Status.CONNECTION_LOST);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.POD_LOST);
            assertThat(r.commandsDown()).as("never routed again").hasSize(1);
        }

        @Test
        void n6_aSentCommandOfAPausedPodWaitsForItsReportEvenWhenTheChargePointReconnectsElsewhere() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 300));
            r.report("c1", "A", SENT);
            r.advanceTo(20); // p0's lease lapsed: paused, its sockets (and the answer in them) may still be there
            r.connected("A", "s2", "p1", 20);
            assertThat(r.results).isEmpty();

            r.report("c1", "A", RESPONSE); // p0 resumed and read the answer the charge point had sent

            assertThat(r.onlyResult().status()).isEqualTo(Status.COMPLETED);
        }

        @Test
        void n6_aPausedPodThatNeverReportsIsEndedByTheBackstop() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 300));
            r.report("c1", "A", SENT);
            r.advanceTo(20);
            r.connected("A", "s2", "p1", 20);
            r.advanceTo(35);

            assertThat(r.onlyResult().reason()).isEqualTo(Reason.POD_LOST);
        }

        @Test
        void d1_aDisconnectLeavesTheSentCommandsOfItsSessionToThePodsOwnReportsHoweverLateTheyAreRead() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.send(r.command("c2", "A", QUEUE, 60));
            r.send(r.command("c3", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.report("c3", "A", SENT);
            r.disconnected("A", "s1", "p0", 3);
            r.advanceTo(20); // the pod's reports wait behind a broker failover

            assertThat(r.route("A").state()).isEqualTo(Route.State.OFFLINE);
            assertThat(r.results)
                    .as("the pod's reports may be read long after its DISCONNECTED")
                    .isEmpty();
            r.report("c3", "A", RESPONSE);
            r.report("c1", "A", CONNECTION_LOST);

            assertThat(r.results)
                    .extracting(c -> c.commandId(), c -> c.status(), c -> c.reason())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("c3", Status.COMPLETED, null),
                            org.assertj.core.groups.Tuple.tuple("c1", Status.CONNECTION_LOST, Reason.SESSION_ENDED));
            assertThat(r.entry("A", "c2"))
                    .as("never sent: the pod reports it NOT_CONNECTED")
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.ROUTED));

            r.report("c2", "A", NOT_CONNECTED);
            assertThat(r.entry("A", "c2"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.PARKED));
        }

        @Test
        void d1_aSentCommandOfAnEndedSessionWithoutItsPodsReportEndsConnectionLostAtTheBackstop() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.disconnected("A", "s1", "p0", 3);
            r.advanceTo(34);
            assertThat(r.results)
                    .as("sent at 0: response timeout 30 s and report grace 5 s")
                    .isEmpty();

            r.advanceTo(35);
            assertThat(r.onlyResult().status()).isEqualTo(Status.CONNECTION_LOST);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.SESSION_ENDED);
        }

        @Test
        void d2_aDisconnectOfAnotherSessionChangesNothing() {
            r.connected("A", "s2", "p1", 20);
            r.disconnected("A", "s1", "p0", 21);

            assertThat(r.route("A").state()).isEqualTo(Route.State.ONLINE);
        }
    }

    @Nested
    class Reports {

        @Test
        void s1_s2_sentThenACallResultIsCompletedWithItsPayload() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            assertThat(r.entry("A", "c1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.SENT));
            r.report("c1", "A", RESPONSE);

            assertThat(r.onlyResult().status()).isEqualTo(Status.COMPLETED);
            assertThat(r.onlyResult().payload().get("status").asText()).isEqualTo("Accepted");
        }

        @Test
        void s2_aCallErrorIsFailed() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", RESPONSE, 1, "p0", "s1", null, new ErrorInfo("NotSupported", "no", null));

            assertThat(r.onlyResult().status()).isEqualTo(Status.FAILED);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.CALL_ERROR);
            assertThat(r.onlyResult().error().code()).isEqualTo("NotSupported");
        }

        @Test
        void s3_aTimeoutIsTimeout() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.report("c1", "A", TIMEOUT);

            assertThat(r.onlyResult().status()).isEqualTo(Status.TIMEOUT);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.NO_ANSWER);
        }

        @Test
        void s4_aConnectionLostReportIsConnectionLost() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.report("c1", "A", CONNECTION_LOST);

            assertThat(r.onlyResult().status()).isEqualTo(Status.CONNECTION_LOST);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.SESSION_ENDED);
        }

        @Test
        void s5_anExpiredRejectionIsExpiredAndOtherRejectionsKeepTheEdgesReason() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.send(r.command("c2", "A", QUEUE, 60));
            r.report("c1", "A", REJECTED, 1, "p0", "s1", Reason.TTL, null);
            r.report("c2", "A", REJECTED, 1, "p0", "s1", Reason.QUEUE_FULL, null);

            assertThat(r.results)
                    .extracting(c -> c.status(), c -> c.reason())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Status.EXPIRED, Reason.TTL),
                            org.assertj.core.groups.Tuple.tuple(Status.REJECTED, Reason.QUEUE_FULL));
        }

        @Test
        void s6_notConnectedGoesToANewerLiveSessionOrWaitsParkedOrExpiresFailFast() {
            r.connected("A", "s1", "p0", 1);
            r.connected("B", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.send(r.command("c2", "B", FAIL_FAST, 60));
            r.report("c1", "A", NOT_CONNECTED);
            r.report("c2", "B", NOT_CONNECTED);

            assertThat(r.entry("A", "c1"))
                    .as("never to the session that said no")
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.PARKED));
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.OFFLINE);

            r.connected("A", "s2", "p1", 5);
            assertThat(r.commandsDown()).last().satisfies(d -> {
                assertThat(d.sessionId()).isEqualTo("s2");
                assertThat(d.attempt()).isEqualTo(2);
            });
        }

        @Test
        void s6_notConnectedAfterSentMeansItWasNeverOnTheWire() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.report("c1", "A", NOT_CONNECTED, 1, "p0", "s1", Reason.WRITE_FAILED, null);

            assertThat(r.results).isEmpty();
            assertThat(r.entry("A", "c1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.PARKED));
        }

        @Test
        void s7_notConnectedOnTheLastAttemptIsUndeliverable() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 600));
            for (int i = 2; i <= 3; i++) {
                r.report("c1", "A", NOT_CONNECTED);
                r.connected("A", "s" + i, "p0", i);
            }
            r.report("c1", "A", NOT_CONNECTED);

            assertThat(r.onlyResult().status()).isEqualTo(Status.UNDELIVERABLE);
            assertThat(r.onlyResult().attempts()).isEqualTo(3);
        }

        @Test
        void s8_reportsOfAnEarlierAttemptInAnotherSessionAndForFinishedCommandsAreIgnored() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.advanceTo(20);
            r.connected("A", "s2", "p1", 20);
            r.report("c1", "A", TIMEOUT, 1, "p0", "s1", Reason.NO_ANSWER, null);
            assertThat(r.results).isEmpty();

            r.report("c1", "A", SENT);
            r.report("c1", "A", RESPONSE);
            r.report("c1", "A", TIMEOUT, 2, "p1", "s2", Reason.NO_ANSWER, null);

            assertThat(r.onlyResult().status()).isEqualTo(Status.COMPLETED);
            assertThat(r.counted).contains("report_of_an_earlier_attempt", "report_for_finished_command");
        }

        @Test
        void s8_aReportOfAnEarlierAttemptInTheSameSessionCounts() {
            // the pod carried an attempt on under a newer one that reached the same session
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.report("c1", "A", RESPONSE, 7, "p0", "s1", null, null);

            assertThat(r.onlyResult().status()).isEqualTo(Status.COMPLETED);
        }
    }

    @Nested
    class WallClock {

        @Test
        void t1_aParkedCommandExpiresAtItsDeadline() {
            r.send(r.command("c1", "B", QUEUE, 10));
            r.advanceTo(9);
            assertThat(r.results).isEmpty();
            r.advanceTo(10);

            assertThat(r.onlyResult().status()).isEqualTo(Status.EXPIRED);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.TTL);
        }

        @Test
        void t2_aRoutedCommandOfALivePodWaitsForItsReportUntilTheBackstop() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 10));
            r.advanceTo(44); // 10 + 30 + 5 - 1
            assertThat(r.results)
                    .as("the pod may still send it up to its deadline and report it")
                    .isEmpty();
            r.advanceTo(45);

            assertThat(r.onlyResult().status()).isEqualTo(Status.EXPIRED);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.TTL);
        }

        @Test
        void t3_aRoutedCommandOfAGonePodExpiresAtItsDeadline() {
            r.connected("A", "s1", "p0", 1, "inc-1", "ocpp1.6");
            r.send(r.command("c1", "A", QUEUE, 10));
            r.lease("p0", PodLease.State.STOPPED, 2, 15, "inc-1");
            r.advanceTo(9);
            assertThat(r.results).isEmpty();
            r.advanceTo(10);

            assertThat(r.onlyResult().status()).isEqualTo(Status.EXPIRED);
        }

        @Test
        void t4_aSentCommandOfALivePodWithoutAReportIsTimedOutAtTheBackstop() {
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.advanceTo(34);
            assertThat(r.results).isEmpty();
            r.advanceTo(35); // sent at 0 + 30 + 5

            assertThat(r.onlyResult().status()).isEqualTo(Status.TIMEOUT);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.NO_REPORT);
        }

        @Test
        void t5_aSentCommandOfASilentPodIsConnectionLostAtTheBackstop() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 60));
            r.report("c1", "A", SENT);
            r.advanceTo(20);
            assertThat(r.results)
                    .as("a paused pod keeps its sockets: its answer may still come")
                    .isEmpty();
            r.advanceTo(35);

            assertThat(r.onlyResult().status()).isEqualTo(Status.CONNECTION_LOST);
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.POD_LOST);
        }

        @Test
        void t_noCommandWaitsLongerThanItsTtlPlusResponseTimeoutPlusGrace() {
            Instant start = r.now;
            r.connected("A", "s1", "p0", 1);
            for (int i = 0; i < 3; i++) {
                r.send(r.command("c" + i, "A", QUEUE, 20));
            }
            r.report("c0", "A", SENT);
            r.send(r.command("p", "B", QUEUE, 20));
            r.advanceTo(20 + 30 + 5);

            assertThat(r.results).hasSize(4);
            assertThat(r.results).allSatisfy(c -> assertThat(c.completedAt()).isBeforeOrEqualTo(start.plusSeconds(55)));
        }
    }

    @Nested
    class Leases {

        @Test
        void l1_aLapsedLeaseHoldsWhatThePodHasAndTakesNothingNew() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 300));
            r.report("c1", "A", SENT);
            r.advanceTo(20);
            r.send(r.command("c2", "A", QUEUE, 300));
            r.send(r.command("c3", "A", FAIL_FAST, 300));

            assertThat(r.onlyResult().commandId()).isEqualTo("c3");
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.OFFLINE);
            assertThat(r.entry("A", "c1"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.SENT));
            assertThat(r.entry("A", "c2"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.PARKED));

            r.report("c1", "A", RESPONSE);
            assertThat(r.results).extracting(c -> c.status()).containsExactly(Status.EXPIRED, Status.COMPLETED);
        }

        @Test
        void l2_theSameIncarnationRenewingRoutesWhatWaitedToItsLiveSessions() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.advanceTo(20);
            r.send(r.command("c1", "A", QUEUE, 300));
            assertThat(r.commandsDown()).isEmpty();

            r.lease("p0", PodLease.State.READY, 21, 15, "inc-p0");
            r.podBack("A");

            assertThat(r.commandsDown()).singleElement().satisfies(d -> {
                assertThat(d.sessionId()).isEqualTo("s1");
                assertThat(d.leaseRenewedAt())
                        .as("the pod sends only what was routed by a lease after its lapse")
                        .isEqualTo(InMemoryRouter.at(21));
            });
        }

        @Test
        void l1_anUnsentCommandOfAPodThatFellSilentGoesToTheNewerSessionTheChargePointAlreadyHas() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-p0");
            r.connected("A", "s1", "p0", 1);
            r.send(r.command("c1", "A", QUEUE, 300));
            r.connected("A", "s2", "p1", 2); // p0 still looked alive: it might still send c1 to s1, so c1 waited
            assertThat(r.commandsDown()).hasSize(1);

            r.advanceTo(16); // p0's lease lapsed: it refuses, unsent, what was routed to it before

            assertThat(r.commandsDown())
                    .last()
                    .satisfies(d -> assertThat(d.sessionId()).isEqualTo("s2"));
        }

        @Test
        void l3_aStoppedLeaseOrANewIncarnationEndsTheSentCommandsOfTheOldOne() {
            r.connected("A", "s1", "p0", 1, "inc-1", "ocpp1.6");
            r.connected("B", "s1", "p0", 1, "inc-1", "ocpp1.6");
            r.send(r.command("c1", "A", QUEUE, 300));
            r.send(r.command("c2", "B", QUEUE, 300));
            r.report("c1", "A", SENT);
            r.lease("p0", PodLease.State.STARTING, 5, 15, "inc-2"); // restarted within the old lease's TTL
            r.advanceTo(6);

            assertThat(r.onlyResult().commandId()).isEqualTo("c1");
            assertThat(r.onlyResult().reason()).isEqualTo(Reason.POD_LOST);
            assertThat(r.entry("B", "c2"))
                    .as("never sent: it waits for the charge point to reconnect")
                    .isPresent();

            r.connected("B", "s2", "p0", 7, "inc-2", "ocpp1.6");
            assertThat(r.commandsDown()).last().satisfies(d -> {
                assertThat(d.sessionId()).isEqualTo("s2");
                assertThat(d.incarnation()).isEqualTo("inc-2");
            });
        }

        @Test
        void l3_anUnsentCommandOfAGonePodGoesToTheNewerSessionTheChargePointAlreadyHas() {
            r.connected("A", "s1", "p0", 1, "inc-1", "ocpp1.6");
            r.send(r.command("c1", "A", QUEUE, 300));
            r.connected(
                    "A", "s2", "p1", 2); // while p0's old lease still looked current: p0 may still send it, so it waits
            assertThat(r.commandsDown()).hasSize(1);

            r.lease("p0", PodLease.State.STARTING, 3, 15, "inc-2");
            r.advanceTo(4);

            assertThat(r.commandsDown())
                    .last()
                    .satisfies(d -> assertThat(d.sessionId()).isEqualTo("s2"));
            assertThat(r.results).isEmpty();
        }

        @Test
        void aLeaseOfAnotherIncarnationThatLagsBehindTheSessionIsNotTakenForARestart() {
            r.lease("p0", PodLease.State.READY, 0, 15, "inc-1"); // the old process's last lease, still in the store
            r.connected("A", "s1", "p0", 30, "inc-2", "ocpp1.6");
            r.advanceTo(30);
            r.send(r.command("c1", "A", QUEUE, 300));

            assertThat(r.commandsDown())
                    .singleElement()
                    .satisfies(d -> assertThat(d.incarnation()).isEqualTo("inc-2"));
        }
    }
}
