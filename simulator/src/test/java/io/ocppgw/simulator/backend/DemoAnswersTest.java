package io.ocppgw.simulator.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void shouldGiveARetriedStartTheSameTransactionIdAndANewStartAnother() throws Exception {
        DemoAnswers answers = new DemoAnswers(Optional.empty(), "Accepted", 500);
        JsonNode start =
                json("{\"connectorId\":1,\"idTag\":\"T\",\"timestamp\":\"2026-11-25T10:00:00Z\",\"meterStart\":1000}");
        JsonNode other =
                json("{\"connectorId\":2,\"idTag\":\"T\",\"timestamp\":\"2026-11-25T10:00:00Z\",\"meterStart\":1000}");

        int first = answers.answer("CP-1", "ocpp1.6", "StartTransaction", start)
                .orElseThrow()
                .path("transactionId")
                .asInt();
        int retried = answers.answer("CP-1", "ocpp1.6", "StartTransaction", start)
                .orElseThrow()
                .path("transactionId")
                .asInt();
        int another = answers.answer("CP-1", "ocpp1.6", "StartTransaction", other)
                .orElseThrow()
                .path("transactionId")
                .asInt();
        int elsewhere = answers.answer("CP-2", "ocpp1.6", "StartTransaction", start)
                .orElseThrow()
                .path("transactionId")
                .asInt();

        assertThat(first).isEqualTo(500).isEqualTo(retried);
        assertThat(another).isNotEqualTo(first);
        assertThat(elsewhere).isNotIn(first, another);
    }

    @Test
    void shouldAuthorizeByTheAllowListInEachVersionsShape() throws Exception {
        DemoAnswers answers = new DemoAnswers(Optional.of(Set.of("GOOD")), "Rejected", 1);

        assertThat(answers.answer("CP-1", "ocpp1.6", "Authorize", json("{\"idTag\":\"GOOD\"}"))
                        .orElseThrow()
                        .path("idTagInfo")
                        .path("status")
                        .asText())
                .isEqualTo("Accepted");
        assertThat(answers.answer("CP-1", "ocpp1.6", "Authorize", json("{\"idTag\":\"BAD\"}"))
                        .orElseThrow()
                        .path("idTagInfo")
                        .path("status")
                        .asText())
                .isEqualTo("Invalid");
        assertThat(answers.answer(
                                "CP-1",
                                "ocpp2.0.1",
                                "Authorize",
                                json("{\"idToken\":{\"idToken\":\"GOOD\",\"type\":\"ISO14443\"}}"))
                        .orElseThrow()
                        .path("idTokenInfo")
                        .path("status")
                        .asText())
                .isEqualTo("Accepted");
        assertThat(answers.answer("CP-1", "ocpp2.0.1", "DataTransfer", json("{\"vendorId\":\"x\"}"))
                        .orElseThrow()
                        .path("status")
                        .asText())
                .isEqualTo("Rejected");
    }

    @Test
    void shouldLeaveOtherActionsToTheGateway() throws Exception {
        DemoAnswers answers = new DemoAnswers(Optional.empty(), "Accepted", 1);

        assertThat(answers.answer("CP-1", "ocpp1.6", "Heartbeat", json("{}"))).isEmpty();
        assertThat(answers.answer("CP-1", "ocpp2.0.1", "StartTransaction", json("{}")))
                .as("not a 2.x action")
                .isEmpty();
    }
}
