package io.ocppgw.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaValidator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AnswersTest {

    private static final SchemaValidator VALIDATOR = new SchemaValidator();
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123456Z");
    private final Answers answers = new Answers(VALIDATOR, "Accepted", Duration.ofMinutes(5));

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldAnswerBootAndHeartbeatFromConfiguration(OcppVersion version) {
        var boot = answers.ackAnswer(version, "BootNotification", NOW).orElseThrow();
        assertThat(boot.get("status").asText()).isEqualTo("Accepted");
        assertThat(boot.get("interval").asInt()).isEqualTo(300);
        assertThat(boot.get("currentTime").asText()).isEqualTo("2026-11-25T10:00:00.123Z");
        assertThat(answers.ackAnswer(version, "Heartbeat", NOW)
                        .orElseThrow()
                        .get("currentTime")
                        .asText())
                .isEqualTo("2026-11-25T10:00:00.123Z");
    }

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldOnlyEverGiveAnswersThatMatchTheResponseSchema(OcppVersion version) {
        int answerable = 0;
        for (String action : ActionCatalogue.sentBy(version, Initiator.CHARGE_POINT)) {
            var answer = answers.ackAnswer(version, action, NOW);
            if (answer.isPresent()) {
                answerable++;
                assertThat(VALIDATOR
                                .validate(version, action, PayloadKind.RESPONSE, answer.get())
                                .isValid())
                        .as(action)
                        .isTrue();
            }
        }
        assertThat(answerable).isGreaterThan(8);
    }

    @Test
    void shouldGiveAFreshAnswerWithTheTimeOfEachCall() {
        answers.ackAnswer(OcppVersion.OCPP_1_6, "MeterValues", NOW)
                .orElseThrow()
                .put("changed", true);
        assertThat(answers.ackAnswer(OcppVersion.OCPP_1_6, "MeterValues", NOW))
                .hasValueSatisfying(a -> assertThat(a).isEmpty());
        assertThat(answers.ackAnswer(OcppVersion.OCPP_2_0_1, "Heartbeat", NOW.plusSeconds(60))
                        .orElseThrow()
                        .get("currentTime")
                        .asText())
                .isEqualTo("2026-11-25T10:01:00.123Z");
    }

    @Test
    void shouldHaveNoAckAnswerWhereOnlyABackendKnowsTheAnswer() {
        assertThat(answers.ackAnswer(OcppVersion.OCPP_1_6, "StartTransaction", NOW))
                .isEmpty();
        assertThat(answers.ackAnswer(OcppVersion.OCPP_2_0_1, "Get15118EVCertificate", NOW))
                .isEmpty();
        assertThat(answers.ackAnswer(OcppVersion.OCPP_1_6, "StopTransaction", NOW))
                .hasValueSatisfying(a -> assertThat(a).isEmpty());
        assertThat(answers.ackAnswer(OcppVersion.OCPP_2_0_1, "TransactionEvent", NOW))
                .hasValueSatisfying(a -> assertThat(a).isEmpty());
    }

    @Test
    void shouldGiveSequenceAndFallbackAnswers() {
        var start = answers.sequenceAnswer(42);
        assertThat(VALIDATOR
                        .validate(OcppVersion.OCPP_1_6, "StartTransaction", PayloadKind.RESPONSE, start)
                        .isValid())
                .isTrue();
        assertThat(start.get("transactionId").asLong()).isEqualTo(42);
        assertThat(answers.fallbackAnswer(OcppVersion.OCPP_1_6, "DataTransfer", NOW)
                        .orElseThrow()
                        .get("status")
                        .asText())
                .isEqualTo("UnknownVendorId");
    }
}
