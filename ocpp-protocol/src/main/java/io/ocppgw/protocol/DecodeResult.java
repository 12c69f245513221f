package io.ocppgw.protocol;

import java.util.Objects;
import java.util.Optional;

/** What the codec made of one text frame from a peer: a frame, an error frame to answer, or nothing to answer. */
public sealed interface DecodeResult {

    /** A well-formed frame. */
    record Frame(OcppFrame frame) implements DecodeResult {
        public Frame {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** The input was not acceptable and the spec asks for this error frame in return. */
    record Reject(OcppFrame.ErrorFrame answer, String reason) implements DecodeResult {
        public Reject {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The input was not acceptable and the spec asks for no answer (e.g. OCPP 1.6 ignores unknown
     * message types; nobody answers a broken CALLRESULT in 2.0.1). The id, when it could be read,
     * lets the caller settle a pending CALL it belongs to.
     */
    record Drop(String reason, Optional<String> messageId) implements DecodeResult {
        public Drop {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(messageId, "messageId");
        }
    }
}
