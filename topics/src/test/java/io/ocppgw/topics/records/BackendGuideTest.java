package io.ocppgw.topics.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every JSON example of the backend guide (docs/backend.md) is exactly what the code writes: read
 * into its record and written again, it gives the same JSON — no misspelled or missing field, no
 * wrong format of a time, a duration or a number — and fits its record's JSON Schema.
 */
class BackendGuideTest {

    private static final Pattern EXAMPLE = Pattern.compile("```json record=(\\w+)\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void shouldWriteEveryExampleOfTheGuideExactlyAsItIsWritten() throws Exception {
        String guide = Files.readString(Path.of("..", "docs", "backend.md"));
        Matcher m = EXAMPLE.matcher(guide);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Class<?> type = Class.forName(JournalEntry.class.getPackageName() + "." + m.group(1));
            JsonNode example = JsonSerde.MAPPER.readTree(m.group(2));
            Object record = JsonSerde.MAPPER.treeToValue(example, type);
            // As text: 46 and 46.0 differ there, an int and a long of the same value do not.
            String written = JsonSerde.MAPPER.writeValueAsString(record);
            assertThat(written).as("the %s example written again", m.group(1)).isEqualTo(example.toString());
            assertThat(RecordSchemas.violations(m.group(1), example))
                    .as("the %s example against its schema", m.group(1))
                    .isEmpty();
            checked.add(m.group(1));
        }
        assertThat(checked)
                .containsExactly(
                        "JournalEntry",
                        "Command",
                        "Command",
                        "CommandResult",
                        "ConnectionEvent",
                        "TransactionState",
                        "ReconciliationEvent");
    }
}
