package io.ocppgw.topics.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.ChargePointIdentity;
import io.ocppgw.protocol.ErrorCode;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaCheck;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one check of a backend's command, used by route-streams (before it routes) and by the edge
 * (before it sends, or delivers a reply): the fields every command needs, whether the charge point's
 * OCPP version can take it, its deadline, and whether a REPLY is an answer the charge point may get.
 * Pure: no Kafka, no sockets.
 */
public final class CommandCheck {

    /** Why a command must not go on. */
    public record Refusal(Reason reason, String description) {}

    private final SchemaValidator schemas;
    private final int maxPayloadBytes;

    public CommandCheck(SchemaValidator schemas, int maxPayloadBytes) {
        this.schemas = schemas;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * What makes a record of {@code commands} a command that can be answered at all: a commandId that can
     * be the OCPP message id, and a chargePointId that is the record's key and can be an identity.
     */
    public Optional<Refusal> identity(String recordKey, Command c) {
        if (c.commandId() == null || c.commandId().isBlank()) {
            return refuse(Reason.INVALID, "commandId is missing");
        }
        if (c.commandId().length() > OcppFrame.MAX_MESSAGE_ID_LENGTH) {
            return refuse(
                    Reason.INVALID,
                    "commandId is longer than " + OcppFrame.MAX_MESSAGE_ID_LENGTH
                            + " characters (it is the OCPP message id)");
        }
        if (c.chargePointId() == null || !ChargePointIdentity.isPossible(c.chargePointId())) {
            return refuse(
                    Reason.INVALID,
                    "chargePointId is missing or cannot be a charge point identity (" + ChargePointIdentity.RULE + ")");
        }
        if (recordKey == null) {
            return refuse(Reason.INVALID, "the record has no key; it must be the chargePointId");
        }
        if (!c.chargePointId().equals(recordKey)) {
            return refuse(Reason.INVALID, "the record key differs from chargePointId; it must be the chargePointId");
        }
        return Optional.empty();
    }

    /**
     * What a command must have whatever charge point it is for, past its {@link #identity}.
     * {@code recordBytes} is the size of its record: the payload is measured only when the record
     * could be over the limit.
     */
    public Optional<Refusal> content(Command c, int recordBytes) {
        if (c.kind() == null) {
            return refuse(Reason.INVALID, "kind is required (CALL or REPLY)");
        }
        if (c.kind() == Command.Kind.REPLY) {
            return replyFields(c);
        }
        if (c.action() == null || c.action().isBlank()) {
            return refuse(Reason.INVALID, "action is required");
        }
        if (c.payload() == null || !c.payload().isObject()) {
            return refuse(Reason.INVALID, "payload must be a JSON object");
        }
        if (recordBytes > maxPayloadBytes) {
            int payloadBytes = c.payload().toString().getBytes(StandardCharsets.UTF_8).length;
            if (payloadBytes > maxPayloadBytes) {
                return refuse(
                        Reason.TOO_LARGE,
                        "payload of " + payloadBytes + " bytes, over the limit of " + maxPayloadBytes);
            }
        }
        if (c.offlinePolicy() == null) {
            return refuse(Reason.INVALID, "offlinePolicy is required (QUEUE or FAIL_FAST)");
        }
        if (c.ttl() != null && (c.ttl().isNegative() || c.ttl().isZero())) {
            return refuse(Reason.INVALID, "ttl must be positive");
        }
        if (c.responseTimeout() != null
                && (c.responseTimeout().isNegative() || c.responseTimeout().isZero())) {
            return refuse(Reason.INVALID, "responseTimeout must be positive");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> replyFields(Command c) {
        if (c.replyTo() == null
                || c.replyTo().sessionId() == null
                || c.replyTo().messageId() == null) {
            return refuse(Reason.INVALID, "a REPLY needs replyTo with sessionId and messageId");
        }
        if ((c.payload() == null) == (c.error() == null)) {
            return refuse(Reason.INVALID, "a REPLY needs either payload or error");
        }
        if (c.payload() != null && !c.payload().isObject()) {
            return refuse(Reason.INVALID, "payload must be a JSON object");
        }
        if (c.error() != null && (c.error().code() == null || c.error().code().isBlank())) {
            return refuse(Reason.INVALID, "error.code is required");
        }
        return Optional.empty();
    }

    /** Whether a charge point speaking {@code version} can take the CALL: an action the CSMS sends in it, and (if asked) a payload its schema allows. */
    public Optional<Refusal> fit(OcppVersion version, Command c, boolean checkSchema) {
        if (ActionCatalogue.checkCall(version, c.action(), Initiator.CSMS).isPresent()) {
            return refuse(Reason.UNSUPPORTED_ACTION, c.action() + " is not a CSMS action in " + version.token());
        }
        if (!checkSchema) {
            return Optional.empty();
        }
        SchemaCheck check = schemas.validate(version, c.action(), PayloadKind.REQUEST, c.payload());
        return check.isValid() ? Optional.empty() : refuse(Reason.SCHEMA, check.description());
    }

    /**
     * Whether a REPLY may answer a charge point's {@code action} CALL in {@code version}: a payload the
     * response schema allows, or an error code the version defines.
     */
    public Optional<Refusal> replyFit(OcppVersion version, String action, JsonNode payload, ErrorInfo error) {
        if (error != null) {
            return ErrorCode.fromWire(version, error.code()).isPresent()
                    ? Optional.empty()
                    : refuse(
                            Reason.INVALID_ERROR_CODE,
                            "'" + error.code() + "' is not an error code of " + version.token());
        }
        SchemaCheck check = schemas.validate(version, action, PayloadKind.RESPONSE, payload);
        return check.isValid() ? Optional.empty() : refuse(Reason.SCHEMA, check.description());
    }

    /**
     * The instant after which a command must not be sent: {@code expiresAt} when given, else its
     * {@code ttl} (or {@code defaultTtl}) from when it was requested ({@code requestedAt}, or
     * {@code firstSeen} when the backend gave none).
     */
    public static Instant deadline(Command c, Instant firstSeen, Duration defaultTtl) {
        if (c.expiresAt() != null) {
            return c.expiresAt();
        }
        Instant requested = c.requestedAt() != null ? c.requestedAt() : firstSeen;
        return requested.plus(c.ttl() != null ? c.ttl() : defaultTtl);
    }

    private static Optional<Refusal> refuse(Reason reason, String description) {
        return Optional.of(new Refusal(reason, description));
    }
}
