package io.ocppgw.edge.upstream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.records.IsoInstants;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers the gateway gives by itself: the {@code ack} answer of each action, the {@code sequence}
 * answer, and fallback answers. Pure (the time is passed in). Every answer is valid against the
 * action's response schema; {@link #ackAnswer} is empty for actions that need data only a backend has.
 */
public final class Answers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SchemaValidator validator;
    private final String bootStatus;
    private final Duration heartbeatInterval;
    private final Map<String, Shape> shapes = new ConcurrentHashMap<>();

    public Answers(SchemaValidator validator, String bootStatus, Duration heartbeatInterval) {
        this.validator = validator;
        this.bootStatus = bootStatus;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** The answer for {@code ack}: built-in for Boot/Heartbeat/Authorize/DataTransfer, else {} or {"status":"Accepted"} if valid. */
    public Optional<ObjectNode> ackAnswer(OcppVersion version, String action, Instant now) {
        // Which answer fits is fixed per version and action: checked against the schema once, not per CALL.
        Shape shape = shapes.computeIfAbsent(version.token() + ' ' + action, k -> shapeOf(version, action, now));
        return switch (shape) {
            case BUILT_IN -> Optional.of(builtIn(version, action, now));
            case EMPTY -> Optional.of(JSON.objectNode());
            case ACCEPTED -> Optional.of(JSON.objectNode().put("status", "Accepted"));
            case NONE -> Optional.empty();
        };
    }

    /** What {@link #ackAnswer} gives for an action: the first of these that its response schema takes. */
    private enum Shape {
        BUILT_IN,
        EMPTY,
        ACCEPTED,
        NONE
    }

    private Shape shapeOf(OcppVersion version, String action, Instant now) {
        ObjectNode builtIn = builtIn(version, action, now);
        if (builtIn != null) {
            return valid(version, action, builtIn) ? Shape.BUILT_IN : Shape.NONE;
        }
        if (valid(version, action, JSON.objectNode())) {
            return Shape.EMPTY;
        }
        return valid(version, action, JSON.objectNode().put("status", "Accepted")) ? Shape.ACCEPTED : Shape.NONE;
    }

    /** The configured answers of Boot, Heartbeat and Authorize; null for other actions. */
    private ObjectNode builtIn(OcppVersion version, String action, Instant now) {
        return switch (action) {
            case "BootNotification" ->
                JSON.objectNode()
                        .put("status", bootStatus)
                        .put("currentTime", time(now))
                        .put("interval", heartbeatInterval.toSeconds());
            case "Heartbeat" -> JSON.objectNode().put("currentTime", time(now));
            case "Authorize" -> {
                ObjectNode a = JSON.objectNode();
                a.putObject(version.isTwoX() ? "idTokenInfo" : "idTagInfo").put("status", "Accepted");
                yield a;
            }
            default -> null;
        };
    }

    private static String time(Instant now) {
        return IsoInstants.format(now.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The {@code sequence} answer of a 1.6 StartTransaction. */
    public ObjectNode sequenceAnswer(long transactionId) {
        ObjectNode a = JSON.objectNode().put("transactionId", transactionId);
        a.putObject("idTagInfo").put("status", "Accepted");
        return a;
    }

    /** The {@code answer} fallback: DataTransfer says UnknownVendorId; others get their ack answer. */
    public Optional<ObjectNode> fallbackAnswer(OcppVersion version, String action, Instant now) {
        if ("DataTransfer".equals(action)) {
            return Optional.of(JSON.objectNode().put("status", "UnknownVendorId"));
        }
        return ackAnswer(version, action, now);
    }

    /** Whether the charge point may send {@code action} as a CALL in {@code version}. */
    public static boolean isChargePointCall(OcppVersion version, String action) {
        return ActionCatalogue.mayBeSentBy(version, action, Initiator.CHARGE_POINT)
                && !ActionCatalogue.isSendOnly(action);
    }

    private boolean valid(OcppVersion version, String action, ObjectNode answer) {
        return validator.validate(version, action, PayloadKind.RESPONSE, answer).isValid();
    }
}
