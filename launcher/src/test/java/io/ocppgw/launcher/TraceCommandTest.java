package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PayloadRedaction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceCommandTest {

    private static JsonNode json(String text) throws Exception {
        return JsonSerde.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void shouldPrintAFrameAsOneLineWithItsSecretsHidden() throws Exception {
        JournalEntry e = new JournalEntry(
                "CP-1",
                "edge-gateway-0",
                "s1",
                "ocpp1.6",
                Direction.TO_CP,
                "CALL",
                "c-1",
                "ChangeConfiguration",
                json("{'key':'AuthorizationKey','value':'0123456789abcdef0123'}"),
                null,
                Instant.parse("2026-12-07T10:00:00Z"));

        String line = TraceCommand.line(e, new PayloadRedaction(PayloadRedaction.DEFAULT_NAMES));

        assertThat(line)
                .startsWith("2026-12-07T10:00:00Z  →CP  CALL        ChangeConfiguration")
                .contains("c-1")
                .endsWith("{\"key\":\"AuthorizationKey\",\"value\":\"***\"}")
                .doesNotContain("0123456789abcdef0123");
    }
}
