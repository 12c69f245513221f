package io.ocppgw.topics.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.Reason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandCheckTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final CommandCheck check = new CommandCheck(new SchemaValidator(), 512);

    @Test
    void shouldAnswerOnlyACommandWhoseIdAndChargePointCanServe() {
        assertThat(check.identity(
                        "A", call("c1", "A", "Reset", JSON.objectNode().put("type", "Soft"))))
                .isEmpty();
        assertThat(check.identity("A", call("x".repeat(37), "A", "Reset", JSON.objectNode())))
                .hasValueSatisfying(r -> assertThat(r.description()).contains("36"));
        assertThat(check.identity("B", call("c1", "A", "Reset", JSON.objectNode())))
                .hasValueSatisfying(r -> assertThat(r.description()).contains("record key"));
        assertThat(check.identity(null, call("c1", "A", "Reset", JSON.objectNode())))
                .isPresent();
        assertThat(check.identity("A:1", call("c1", "A:1", "Reset", JSON.objectNode())))
                .isPresent();
    }

    @Test
    void shouldMeasureThePayloadOnlyWhenTheRecordCouldBeOverTheLimit() {
        ObjectNode big = JSON.objectNode().put("vendorId", "v").put("data", "d".repeat(600));

        assertThat(check.content(call("c1", "A", "DataTransfer", big), 100))
                .as("a small record cannot hold a big payload")
                .isEmpty();
        assertThat(check.content(call("c1", "A", "DataTransfer", big), 700))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void shouldFitACommandToTheChargePointsVersion() {
        assertThat(check.fit(
                        OcppVersion.OCPP_1_6,
                        call("c1", "A", "Reset", JSON.objectNode().put("type", "Soft")),
                        true))
                .isEmpty();
        assertThat(check.fit(
                        OcppVersion.OCPP_2_0_1,
                        call("c1", "A", "Reset", JSON.objectNode().put("type", "Soft")),
                        true))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.SCHEMA));
        assertThat(check.fit(OcppVersion.OCPP_1_6, call("c1", "A", "RequestStartTransaction", JSON.objectNode()), true))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_ACTION));
    }

    @Test
    void shouldRefuseAReplyThatBreaksTheResponseSchemaOrInventsAnErrorCode() {
        ObjectNode maybe = JSON.objectNode();
        maybe.putObject("idTagInfo").put("status", "Maybe");

        assertThat(check.replyFit(OcppVersion.OCPP_1_6, "Authorize", maybe, null))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.SCHEMA));
        assertThat(check.replyFit(
                        OcppVersion.OCPP_1_6,
                        "StartTransaction",
                        JSON.objectNode().set("idTagInfo", JSON.objectNode().put("status", "Accepted")),
                        null))
                .as("no transactionId")
                .isPresent();
        assertThat(check.replyFit(OcppVersion.OCPP_1_6, "Authorize", null, new ErrorInfo("Nonsense", "", null)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_ERROR_CODE));
        assertThat(check.replyFit(
                        OcppVersion.OCPP_1_6, "Authorize", null, new ErrorInfo("FormationViolation", "", null)))
                .isEmpty();
        assertThat(check.replyFit(
                        OcppVersion.OCPP_2_0_1, "Authorize", null, new ErrorInfo("FormatViolation", "", null)))
                .isEmpty();
    }

    @Test
    void shouldTakeTheDeadlineFromExpiresAtElseTtlElseTheDefault() {
        Command withTtl = new Command(
                "c",
                "A",
                Command.Kind.CALL,
                "Reset",
                JSON.objectNode(),
                T,
                null,
                Duration.ofSeconds(30),
                null,
                null,
                null,
                null);
        Command noRequestedAt = new Command(
                "c", "A", Command.Kind.CALL, "Reset", JSON.objectNode(), null, null, null, null, null, null, null);
        Command both = new Command(
                "c",
                "A",
                Command.Kind.CALL,
                "Reset",
                JSON.objectNode(),
                T,
                T.plusSeconds(5),
                Duration.ofSeconds(30),
                null,
                null,
                null,
                null);

        assertThat(CommandCheck.deadline(withTtl, T.plusSeconds(99), Duration.ofHours(1)))
                .isEqualTo(T.plusSeconds(30));
        assertThat(CommandCheck.deadline(noRequestedAt, T, Duration.ofHours(1))).isEqualTo(T.plusSeconds(3600));
        assertThat(CommandCheck.deadline(both, T, Duration.ofHours(1))).isEqualTo(T.plusSeconds(5));
    }

    private static Command call(String id, String cp, String action, ObjectNode payload) {
        return new Command(
                id,
                cp,
                Command.Kind.CALL,
                action,
                payload,
                T,
                null,
                null,
                Command.OfflinePolicy.QUEUE,
                null,
                null,
                null);
    }
}
