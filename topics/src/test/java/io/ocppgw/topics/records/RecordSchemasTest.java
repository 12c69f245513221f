package io.ocppgw.topics.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON Schemas of the public records (schemas/records/) hold for every record the code writes. */
class RecordSchemasTest {

    @Test
    void shouldHaveASchemaForEveryPublicRecord() {
        for (Class<?> record : RecordSchemas.PUBLIC) {
            assertThat(RecordSchemas.of(record.getSimpleName()))
                    .as(record.getSimpleName())
                    .isPresent();
        }
        assertThat(RecordSchemas.of("DeliveryReport"))
                .as("the gateway's own records have none")
                .isEmpty();
    }

    @Test
    void shouldValidateEveryRecordTheCodeWritesAgainstItsSchema() {
        Set<Class<?>> checked = new HashSet<>();
        for (Object record : RecordSerdeTest.records().toList()) {
            assertThat(RecordSchemas.violations(record)).as("%s", record).isEmpty();
            checked.add(record.getClass());
        }
        assertThat(checked).containsAll(RecordSchemas.PUBLIC);
    }

    @Test
    void shouldRefuseARecordThatBreaksItsSchema() throws Exception {
        JsonNode unknownStatus =
                JsonSerde.MAPPER.readTree("{\"commandId\":\"c-1\",\"chargePointId\":\"CP-1\",\"status\":\"DONE\","
                        + "\"completedAt\":\"2026-12-07T10:00:00Z\",\"duplicate\":false,\"schemaVersion\":1}");

        assertThat(RecordSchemas.violations("CommandResult", unknownStatus))
                .containsExactly(
                        "/status: does not have a value in the enumeration "
                                + "[\"COMPLETED\", \"FAILED\", \"TIMEOUT\", \"CONNECTION_LOST\", \"EXPIRED\", \"REJECTED\", \"UNDELIVERABLE\"]");
    }
}
