package io.ocppgw.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The journal frames that matter to transactions, read from their OCPP payloads (pure). Everything
 * else — other actions, unreadable payloads — is {@link #of} empty: it still counts as the charge
 * point being seen, but changes no transaction.
 */
sealed interface TransactionMessage {

    /** BootNotification CALL: the charge point (re)started. */
    record Boot() implements TransactionMessage {}

    /** 1.6 StartTransaction CALL. */
    record Start16(int connectorId, String idTag, Instant timestamp, double meterStart) implements TransactionMessage {
        /** The natural key: a retry carries the same values under a new message id. */
        String naturalKey() {
            return connectorId + "|" + idTag + "|" + timestamp + "|" + meterStart;
        }
    }

    /** The CALLRESULT to a 1.6 StartTransaction, giving the transaction its id. */
    record StartAnswer(String transactionId) implements TransactionMessage {}

    /** 1.6 StopTransaction CALL; {@code transactionId} "-1" for a start the CSMS never answered. */
    record Stop16(String transactionId, double meterStop, Instant timestamp, String reason)
            implements TransactionMessage {
        String naturalContent() {
            return meterStop + "|" + timestamp;
        }
    }

    /** 1.6 MeterValues CALL of a transaction (those without a transactionId are not a transaction's). */
    record Meter16(int connectorId, String transactionId, List<Sample> samples) implements TransactionMessage {}

    /** 2.0.1/2.1 TransactionEvent CALL. */
    record TxEvent(
            EventType eventType,
            String transactionId,
            int seqNo,
            boolean offline,
            String triggerReason,
            Instant timestamp,
            Integer evseId,
            String idToken,
            List<Sample> samples,
            int contentHash,
            String stoppedReason)
            implements TransactionMessage {

        enum EventType {
            STARTED,
            UPDATED,
            ENDED
        }

        boolean isResumedTrigger() {
            return "TxResumed".equals(triggerReason);
        }
    }

    /** One meter reading: when, and the energy register in Wh if the sample carries it. */
    record Sample(Instant timestamp, Double energyWh) {}

    static Optional<TransactionMessage> of(JournalEntry e) {
        try {
            return Optional.ofNullable(read(e));
        } catch (RuntimeException unreadable) {
            // A payload that breaks the schema was already answered with a CALLERROR by the edge; it
            // carries no transaction fact to rely on.
            return Optional.empty();
        }
    }

    private static TransactionMessage read(JournalEntry e) {
        if (e.action() == null || e.payload() == null || e.messageType() == null) {
            return null;
        }
        JsonNode p = e.payload();
        boolean call = e.direction() == Direction.FROM_CP && "CALL".equals(e.messageType());
        boolean answer = e.direction() == Direction.TO_CP && "CALLRESULT".equals(e.messageType());
        switch (e.action()) {
            case "BootNotification":
                return call ? new Boot() : null;
            case "StartTransaction":
                if (call) {
                    return new Start16(
                            p.path("connectorId").asInt(),
                            text(p, "idTag"),
                            time(p.path("timestamp")),
                            number(p.path("meterStart")));
                }
                return answer && p.hasNonNull("transactionId")
                        ? new StartAnswer(p.path("transactionId").asText())
                        : null;
            case "StopTransaction":
                return call
                        ? new Stop16(
                                required(p, "transactionId"),
                                number(p.path("meterStop")),
                                time(p.path("timestamp")),
                                text(p, "reason"))
                        : null;
            case "MeterValues":
                if (!call || !p.hasNonNull("transactionId")) {
                    return null;
                }
                return new Meter16(
                        p.path("connectorId").asInt(), p.path("transactionId").asText(), samples(p.path("meterValue")));
            case "TransactionEvent":
                return call ? txEvent(p) : null;
            default:
                return null;
        }
    }

    private static TxEvent txEvent(JsonNode p) {
        JsonNode evse = p.path("evse");
        JsonNode token = p.path("idToken");
        return new TxEvent(
                TxEvent.EventType.valueOf(required(p, "eventType").toUpperCase(Locale.ROOT)),
                required(p.path("transactionInfo"), "transactionId"),
                p.path("seqNo").asInt(),
                p.path("offline").asBoolean(false),
                text(p, "triggerReason"),
                time(p.path("timestamp")),
                evse.has("id") ? evse.path("id").asInt() : null,
                token.has("idToken") ? token.path("idToken").asText() : null,
                samples(p.path("meterValue")),
                p.hashCode(),
                text(p.path("transactionInfo"), "stoppedReason"));
    }

    /**
     * Every {@code meterValue} element is one sample. Its energy is the Energy.Active.Import.Register
     * reading (the measurand when none is named) without a phase — the total, not one line's — in Wh.
     */
    private static List<Sample> samples(JsonNode meterValues) {
        List<Sample> out = new ArrayList<>();
        for (JsonNode mv : meterValues) {
            Double energy = null;
            for (JsonNode sv : mv.path("sampledValue")) {
                if (energy == null
                        && !sv.has("phase")
                        && sv.path("measurand")
                                .asText("Energy.Active.Import.Register")
                                .equals("Energy.Active.Import.Register")) {
                    energy = wattHours(sv);
                }
            }
            out.add(new Sample(time(mv.path("timestamp")), energy));
        }
        return out;
    }

    /** 1.6: a string value with {@code unit}; 2.x: a number with {@code unitOfMeasure {unit, multiplier}}. */
    private static Double wattHours(JsonNode sv) {
        JsonNode value = sv.path("value");
        double v;
        try {
            v = value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            return null;
        }
        JsonNode unitOfMeasure = sv.path("unitOfMeasure");
        String unit = sv.has("unit")
                ? sv.path("unit").asText()
                : unitOfMeasure.path("unit").asText("Wh");
        v = v * Math.pow(10, unitOfMeasure.path("multiplier").asInt(0));
        return "kWh".equalsIgnoreCase(unit) ? v * 1000 : v;
    }

    private static String required(JsonNode node, String field) {
        if (!node.hasNonNull(field)) {
            throw new IllegalArgumentException("no " + field);
        }
        return node.path(field).asText();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }

    private static double number(JsonNode node) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException("not a number: " + node);
        }
        return node.asDouble();
    }

    private static Instant time(JsonNode node) {
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            // OCPP allows offsets (2026-11-25T10:00:00+01:00); Instant.parse does not before Java 21
            return java.time.OffsetDateTime.parse(node.asText()).toInstant();
        }
    }
}
