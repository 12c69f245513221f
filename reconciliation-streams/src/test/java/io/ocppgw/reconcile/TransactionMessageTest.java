package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.reconcile.TransactionMessage.Meter16;
import io.ocppgw.reconcile.TransactionMessage.Sample;
import io.ocppgw.reconcile.TransactionMessage.Start16;
import io.ocppgw.reconcile.TransactionMessage.TxEvent;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransactionMessageTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private static Optional<TransactionMessage> call(String action, String json) throws Exception {
        JsonNode payload = JsonSerde.MAPPER.readTree(json);
        return TransactionMessage.of(new JournalEntry(
                "CP-1", "p", "s", "ocpp1.6", Direction.FROM_CP, "CALL", "m", action, payload, null, AT));
    }

    @Test
    void shouldReadTheTotalEnergyRegisterInWattHoursFromA16MeterValue() throws Exception {
        Meter16 m = (Meter16) call("MeterValues", """
                {"connectorId": 2, "transactionId": 7, "meterValue": [
                  {"timestamp": "2026-11-25T11:00:00+01:00", "sampledValue": [
                    {"value": "11", "measurand": "Voltage", "unit": "V"},
                    {"value": "0.4", "measurand": "Energy.Active.Import.Register", "phase": "L1", "unit": "kWh"},
                    {"value": "1.25", "measurand": "Energy.Active.Import.Register", "unit": "kWh"}]},
                  {"timestamp": "2026-11-25T10:01:00Z", "sampledValue": [{"value": "1300"}]},
                  {"timestamp": "2026-11-25T10:02:00Z", "sampledValue": [{"value": "16", "measurand": "Current.Import"}]}]}
                """).orElseThrow();

        assertThat(m.transactionId()).isEqualTo("7");
        assertThat(m.connectorId()).isEqualTo(2);
        assertThat(m.samples())
                .containsExactly(
                        new Sample(AT, 1250.0),
                        new Sample(Instant.parse("2026-11-25T10:01:00Z"), 1300.0),
                        new Sample(Instant.parse("2026-11-25T10:02:00Z"), null));
    }

    @Test
    void shouldApplyThe2xMultiplier() throws Exception {
        TxEvent e = (TxEvent) call("TransactionEvent", """
                {"eventType": "Updated", "timestamp": "2026-11-25T10:00:00Z", "triggerReason": "TxResumed", "seqNo": 4,
                 "offline": true, "transactionInfo": {"transactionId": "tx-a"}, "evse": {"id": 2},
                 "meterValue": [{"timestamp": "2026-11-25T10:00:00Z",
                   "sampledValue": [{"value": 12.5, "unitOfMeasure": {"unit": "Wh", "multiplier": 3}}]}]}
                """).orElseThrow();

        assertThat(e.eventType()).isEqualTo(TxEvent.EventType.UPDATED);
        assertThat(e.seqNo()).isEqualTo(4);
        assertThat(e.offline()).isTrue();
        assertThat(e.isResumedTrigger()).isTrue();
        assertThat(e.evseId()).isEqualTo(2);
        assertThat(e.samples()).containsExactly(new Sample(AT, 12_500.0));
    }

    @Test
    void shouldKeyAStartOnItsNaturalValues() throws Exception {
        Start16 a = (Start16) call(
                        "StartTransaction",
                        "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":1000,\"timestamp\":\"2026-11-25T10:00:00Z\"}")
                .orElseThrow();
        Start16 b = (Start16) call(
                        "StartTransaction",
                        "{\"timestamp\":\"2026-11-25T11:00:00+01:00\",\"meterStart\":1000,\"idTag\":\"T\",\"connectorId\":1}")
                .orElseThrow();

        assertThat(a.naturalKey()).isEqualTo(b.naturalKey());
    }

    @Test
    void shouldIgnoreOtherFramesAndPayloadsItCannotRead() throws Exception {
        assertThat(call("Heartbeat", "{}")).isEmpty();
        assertThat(call("MeterValues", "{\"connectorId\":1,\"meterValue\":[]}"))
                .as("not a transaction's")
                .isEmpty();
        assertThat(call(
                        "StartTransaction",
                        "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":\"x\",\"timestamp\":\"now\"}"))
                .isEmpty();
        assertThat(call("StopTransaction", "{\"meterStop\":1,\"timestamp\":\"2026-11-25T10:00:00Z\"}"))
                .isEmpty();
        assertThat(call("TransactionEvent", "{\"eventType\":\"Paused\",\"seqNo\":1}"))
                .isEmpty();
    }
}
