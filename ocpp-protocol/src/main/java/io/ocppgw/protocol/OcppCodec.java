package io.ocppgw.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * OCPP-J framing: text to frame and frame to text. Pure and thread-safe. {@link #decode} never
 * throws on peer input and never returns null: every input ends in exactly one {@link DecodeResult}.
 *
 * <p>Rules by version (OCPP-J 1.6 §4, OCPP 2.0.1/2.1 part 4 §4):
 * <ul>
 *   <li>Unreadable frame (not JSON, not an array, no readable id): 1.6 has no id to answer, so it is
 *       dropped; 2.x answers {@code RpcFrameworkError} with id {@code -1}.</li>
 *   <li>Unknown message type: 1.6 ignores it; 2.x answers {@code MessageTypeNotSupported}
 *       (types 5 and 6 are unknown to 2.0.1, known to 2.1).</li>
 *   <li>A CALL with a broken structure or a non-object payload is answered with a CALLERROR;
 *       a broken CALLRESULT only in 2.1 (CALLRESULTERROR); broken CALLERRORs and SENDs are never
 *       answered (no error about an error).</li>
 * </ul>
 */
public final class OcppCodec {

    /** Max length of an errorDescription (2.x schema limit); longer texts are cut. */
    static final int MAX_DESCRIPTION = 255;

    /** Bounds on what a peer may make the parser do. */
    public record Limits(int maxNestingDepth, int maxTextLength) {
        public static final Limits DEFAULT = new Limits(64, 1 << 20);

        public Limits {
            if (maxNestingDepth < 4) {
                throw new IllegalArgumentException("maxNestingDepth must be >= 4, was " + maxNestingDepth);
            }
            if (maxTextLength < 16) {
                throw new IllegalArgumentException("maxTextLength must be >= 16, was " + maxTextLength);
            }
        }
    }

    private final ObjectMapper mapper;
    private final Limits limits;

    public OcppCodec() {
        this(Limits.DEFAULT);
    }

    public OcppCodec(Limits limits) {
        this.limits = limits;
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        m.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxTextLength())
                        .build());
        this.mapper = m;
    }

    public Limits limits() {
        return limits;
    }

    public DecodeResult decode(OcppVersion version, String text) {
        if (text == null || text.isEmpty()) {
            return unreadable(version, "empty frame", Optional.empty());
        }
        if (text.length() > limits.maxTextLength()) {
            return unreadable(
                    version,
                    "frame of " + text.length() + " chars exceeds " + limits.maxTextLength(),
                    Optional.empty());
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return unreadable(version, "not valid JSON: " + firstLine(e.getMessage()), Optional.empty());
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            return unreadable(version, "not a non-empty JSON array", Optional.empty());
        }
        Optional<String> id = readableId(root);
        JsonNode typeNode = root.get(0);
        if (!typeNode.isIntegralNumber()) {
            return unreadable(version, "message type is not an integer", id);
        }
        Optional<MessageType> type = typeNode.canConvertToInt()
                ? MessageType.fromNumber(typeNode.intValue()).filter(t -> t.existsIn(version))
                : Optional.empty();
        if (type.isEmpty()) {
            String reason = "message type " + typeNode.asText() + " is not supported in " + version.token();
            if (!version.isTwoX()) {
                return new DecodeResult.Drop(reason, id);
            }
            return reject(
                    version,
                    id.filter(OcppCodec::fitsIdLimit).orElse(Errors.UNREADABLE_ID),
                    ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED,
                    reason);
        }
        if (id.isEmpty()) {
            return unreadable(version, "message id is missing or not a non-empty string", Optional.empty());
        }
        String messageId = id.get();
        return switch (type.get()) {
            case CALL -> decodeCall(version, root, messageId);
            case CALLRESULT -> decodeCallResult(version, root, messageId);
            case CALLERROR, CALLRESULTERROR -> decodeError(version, type.get(), root, messageId);
            case SEND -> decodeSend(root, messageId);
        };
    }

    private DecodeResult decodeCall(OcppVersion version, JsonNode root, String messageId) {
        if (!fitsIdLimit(messageId)) {
            return reject(
                    version,
                    messageId,
                    frameError(version),
                    "message id longer than " + OcppFrame.MAX_MESSAGE_ID_LENGTH + " chars");
        }
        if (root.size() != 4) {
            return reject(version, messageId, frameError(version), "CALL must have 4 elements, had " + root.size());
        }
        JsonNode action = root.get(2);
        if (!action.isTextual() || action.asText().isEmpty()) {
            return reject(version, messageId, frameError(version), "CALL action is not a non-empty string");
        }
        JsonNode payload = root.get(3);
        if (!payload.isObject()) {
            return reject(version, messageId, ErrorCode.FORMAT_VIOLATION, "CALL payload is not a JSON object");
        }
        return new DecodeResult.Frame(new OcppFrame.Call(messageId, action.asText(), (ObjectNode) payload));
    }

    private DecodeResult decodeCallResult(OcppVersion version, JsonNode root, String messageId) {
        String problem = null;
        ErrorCode code = frameError(version);
        if (!fitsIdLimit(messageId)) {
            problem = "message id longer than " + OcppFrame.MAX_MESSAGE_ID_LENGTH + " chars";
        } else if (root.size() != 3) {
            problem = "CALLRESULT must have 3 elements, had " + root.size();
        } else if (!root.get(2).isObject()) {
            problem = "CALLRESULT payload is not a JSON object";
            code = ErrorCode.FORMAT_VIOLATION;
        }
        if (problem == null) {
            return new DecodeResult.Frame(new OcppFrame.CallResult(messageId, (ObjectNode) root.get(2)));
        }
        if (version == OcppVersion.OCPP_2_1) {
            return new DecodeResult.Reject(
                    Errors.callResultError(version, messageId, code, cut(problem), emptyObject()), problem);
        }
        return new DecodeResult.Drop(problem, Optional.of(messageId));
    }

    /** Lenient on purpose: a missing description or details is read as empty, so the answer still settles its CALL. */
    private static DecodeResult decodeError(OcppVersion version, MessageType type, JsonNode root, String messageId) {
        if (root.size() < 3 || root.size() > 5) {
            return new DecodeResult.Drop(type + " must have 5 elements, had " + root.size(), Optional.of(messageId));
        }
        JsonNode code = root.get(2);
        if (!code.isTextual()) {
            return new DecodeResult.Drop(type + " error code is not a string", Optional.of(messageId));
        }
        JsonNode description = root.size() > 3 ? root.get(3) : null;
        if (description != null && !description.isTextual() && !description.isNull()) {
            return new DecodeResult.Drop(type + " error description is not a string", Optional.of(messageId));
        }
        JsonNode details = root.size() > 4 ? root.get(4) : null;
        if (details != null && !details.isObject() && !details.isNull()) {
            return new DecodeResult.Drop(type + " error details is not a JSON object", Optional.of(messageId));
        }
        String desc = description == null || description.isNull() ? "" : description.asText();
        ObjectNode det = details == null || details.isNull() ? emptyObject() : (ObjectNode) details;
        OcppFrame frame = type == MessageType.CALLERROR
                ? new OcppFrame.CallError(messageId, code.asText(), desc, det)
                : new OcppFrame.CallResultError(messageId, code.asText(), desc, det);
        return new DecodeResult.Frame(frame);
    }

    private static DecodeResult decodeSend(JsonNode root, String messageId) {
        if (!fitsIdLimit(messageId)
                || root.size() != 4
                || !root.get(2).isTextual()
                || root.get(2).asText().isEmpty()
                || !root.get(3).isObject()) {
            return new DecodeResult.Drop("SEND must be [6, id(<=36), action, {payload}]", Optional.of(messageId));
        }
        return new DecodeResult.Frame(new OcppFrame.Send(messageId, root.get(2).asText(), (ObjectNode) root.get(3)));
    }

    /** Frame to text. */
    public String encode(OcppFrame frame) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(5);
        array.add(frame.type().number());
        array.add(frame.messageId());
        if (frame instanceof OcppFrame.Call c) {
            array.add(c.action()).add(c.payload());
        } else if (frame instanceof OcppFrame.CallResult r) {
            array.add(r.payload());
        } else if (frame instanceof OcppFrame.ErrorFrame e) {
            array.add(e.errorCode()).add(e.errorDescription()).add(e.errorDetails());
        } else if (frame instanceof OcppFrame.Send s) {
            array.add(s.action()).add(s.payload());
        }
        try {
            return mapper.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            // A tree of Jackson nodes always serialises; reaching here is a bug, not peer input.
            throw new IllegalStateException("cannot encode " + frame.type(), e);
        }
    }

    /** Reads JSON text as an object tree (for payloads given as text, e.g. on the command line). */
    public Optional<ObjectNode> parseObject(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            return node != null && node.isObject() ? Optional.of((ObjectNode) node) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static DecodeResult unreadable(OcppVersion version, String reason, Optional<String> id) {
        if (!version.isTwoX()) {
            return new DecodeResult.Drop(reason, id);
        }
        String answerId = id.filter(OcppCodec::fitsIdLimit).orElse(Errors.UNREADABLE_ID);
        return reject(version, answerId, ErrorCode.RPC_FRAMEWORK_ERROR, reason);
    }

    private static DecodeResult reject(OcppVersion version, String messageId, ErrorCode code, String reason) {
        return new DecodeResult.Reject(Errors.callError(version, messageId, code, cut(reason)), reason);
    }

    /** The code for "this is not a valid frame": 1.6 has only FormationViolation, 2.x RpcFrameworkError. */
    private static ErrorCode frameError(OcppVersion version) {
        return version.isTwoX() ? ErrorCode.RPC_FRAMEWORK_ERROR : ErrorCode.FORMAT_VIOLATION;
    }

    private static Optional<String> readableId(JsonNode root) {
        if (root.size() < 2) {
            return Optional.empty();
        }
        JsonNode id = root.get(1);
        return id.isTextual() && !id.asText().isEmpty() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static boolean fitsIdLimit(String id) {
        return id.length() <= OcppFrame.MAX_MESSAGE_ID_LENGTH;
    }

    private static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    static String cut(String text) {
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
