package io.ocppgw.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one payload. When invalid it carries the CALLERROR code the first
 * violation maps to, so an answer can be made for the peer's version.
 */
public record SchemaCheck(List<SchemaViolation> violations, ErrorCode errorCode) {

    /** How many violations an error frame's details list at most. */
    static final int MAX_DETAILS = 5;

    private static final SchemaCheck VALID = new SchemaCheck(List.of(), null);

    public SchemaCheck {
        violations = List.copyOf(violations);
        if (!violations.isEmpty()) {
            Objects.requireNonNull(errorCode, "errorCode of an invalid payload");
        }
    }

    public static SchemaCheck valid() {
        return VALID;
    }

    public boolean isValid() {
        return violations.isEmpty();
    }

    /** A one-line description fit for a CALLERROR's errorDescription. */
    public String description() {
        if (isValid()) {
            return "valid";
        }
        SchemaViolation first = violations.get(0);
        String more = violations.size() > 1 ? " (+" + (violations.size() - 1) + " more)" : "";
        return OcppCodec.cut(first.path() + ": " + first.message() + more);
    }

    /** The first few violations as a JSON object for a CALLERROR's errorDetails. */
    public ObjectNode details() {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        var list = details.putArray("violations");
        violations.stream()
                .limit(MAX_DETAILS)
                .forEach(v -> list.addObject()
                        .put("path", v.path())
                        .put("keyword", v.keyword())
                        .put("message", v.message()));
        return details;
    }
}
