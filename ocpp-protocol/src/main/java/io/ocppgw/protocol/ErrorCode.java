package io.ocppgw.protocol;

import java.util.Optional;

/**
 * CALLERROR codes with the spelling each version uses on the wire. OCPP 1.6 keeps its historic
 * misspellings ({@code FormationViolation}, {@code OccurenceConstraintViolation}); 2.x corrected them
 * and added {@code MessageTypeNotSupported} and {@code RpcFrameworkError}.
 */
public enum ErrorCode {
    NOT_IMPLEMENTED("NotImplemented", "NotImplemented"),
    NOT_SUPPORTED("NotSupported", "NotSupported"),
    INTERNAL_ERROR("InternalError", "InternalError"),
    PROTOCOL_ERROR("ProtocolError", "ProtocolError"),
    SECURITY_ERROR("SecurityError", "SecurityError"),
    FORMAT_VIOLATION("FormationViolation", "FormatViolation"),
    PROPERTY_CONSTRAINT_VIOLATION("PropertyConstraintViolation", "PropertyConstraintViolation"),
    OCCURRENCE_CONSTRAINT_VIOLATION("OccurenceConstraintViolation", "OccurrenceConstraintViolation"),
    TYPE_CONSTRAINT_VIOLATION("TypeConstraintViolation", "TypeConstraintViolation"),
    GENERIC_ERROR("GenericError", "GenericError"),
    MESSAGE_TYPE_NOT_SUPPORTED(null, "MessageTypeNotSupported"),
    RPC_FRAMEWORK_ERROR(null, "RpcFrameworkError");

    private final String v16;
    private final String v2x;

    ErrorCode(String v16, String v2x) {
        this.v16 = v16;
        this.v2x = v2x;
    }

    public boolean existsIn(OcppVersion version) {
        return version.isTwoX() || v16 != null;
    }

    /**
     * The code as written on the wire in {@code version}. A 2.x-only code asked for in 1.6 falls back
     * to its nearest 1.6 meaning, so callers never produce a code the peer cannot read.
     */
    public String wireName(OcppVersion version) {
        if (version.isTwoX()) {
            return v2x;
        }
        if (v16 != null) {
            return v16;
        }
        return this == MESSAGE_TYPE_NOT_SUPPORTED ? NOT_SUPPORTED.v16 : FORMAT_VIOLATION.v16;
    }

    /** Reads a code as spelled in {@code version}; empty for anything that version does not define. */
    public static Optional<ErrorCode> fromWire(OcppVersion version, String wire) {
        for (ErrorCode c : values()) {
            String spelled = version.isTwoX() ? c.v2x : c.v16;
            if (spelled != null && spelled.equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
