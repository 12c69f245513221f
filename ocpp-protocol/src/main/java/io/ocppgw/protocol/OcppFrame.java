package io.ocppgw.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One OCPP-J frame. Payloads stay JSON trees (never re-typed); treat them as read-only once a
 * frame holds them.
 */
public sealed interface OcppFrame {

    /** Longest message id the spec allows (all versions). */
    int MAX_MESSAGE_ID_LENGTH = 36;

    String messageId();

    MessageType type();

    /** [2, id, action, payload] */
    record Call(String messageId, String action, ObjectNode payload) implements OcppFrame {
        public Call {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public MessageType type() {
            return MessageType.CALL;
        }
    }

    /** [3, id, payload] */
    record CallResult(String messageId, ObjectNode payload) implements OcppFrame {
        public CallResult {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public MessageType type() {
            return MessageType.CALLRESULT;
        }
    }

    /** The shape CALLERROR and CALLRESULTERROR share: code, description, details. */
    sealed interface ErrorFrame extends OcppFrame {
        String errorCode();

        String errorDescription();

        ObjectNode errorDetails();
    }

    /** [4, id, errorCode, errorDescription, errorDetails]; the code is kept as spelled on the wire. */
    record CallError(String messageId, String errorCode, String errorDescription, ObjectNode errorDetails)
            implements ErrorFrame {
        public CallError {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorDescription, "errorDescription");
            Objects.requireNonNull(errorDetails, "errorDetails");
        }

        @Override
        public MessageType type() {
            return MessageType.CALLERROR;
        }
    }

    /** OCPP 2.1: [5, id, errorCode, errorDescription, errorDetails], the answer to an invalid CALLRESULT. */
    record CallResultError(String messageId, String errorCode, String errorDescription, ObjectNode errorDetails)
            implements ErrorFrame {
        public CallResultError {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorDescription, "errorDescription");
            Objects.requireNonNull(errorDetails, "errorDetails");
        }

        @Override
        public MessageType type() {
            return MessageType.CALLRESULTERROR;
        }
    }

    /** OCPP 2.1: [6, id, action, payload], never answered. */
    record Send(String messageId, String action, ObjectNode payload) implements OcppFrame {
        public Send {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public MessageType type() {
            return MessageType.SEND;
        }
    }
}
