package io.ocppgw.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one place that makes error frames, so every code is spelled for the peer's version. */
public final class Errors {

    /** The message id the 2.x specs prescribe when the offending frame's id could not be read. */
    public static final String UNREADABLE_ID = "-1";

    private Errors() {}

    public static OcppFrame.CallError callError(
            OcppVersion version, String messageId, ErrorCode code, String description) {
        return callError(version, messageId, code, description, JsonNodeFactory.instance.objectNode());
    }

    public static OcppFrame.CallError callError(
            OcppVersion version, String messageId, ErrorCode code, String description, ObjectNode details) {
        return new OcppFrame.CallError(messageId, code.wireName(version), description, details);
    }

    /** OCPP 2.1 only; the caller checks the version. */
    public static OcppFrame.CallResultError callResultError(
            OcppVersion version, String messageId, ErrorCode code, String description, ObjectNode details) {
        if (version != OcppVersion.OCPP_2_1) {
            throw new IllegalArgumentException("CALLRESULTERROR exists only in OCPP 2.1, not " + version.token());
        }
        return new OcppFrame.CallResultError(messageId, code.wireName(version), description, details);
    }
}
