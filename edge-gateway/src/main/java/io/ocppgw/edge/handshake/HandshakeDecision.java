package io.ocppgw.edge.handshake;

import io.ocppgw.protocol.OcppVersion;
import java.util.Optional;

/** The gate's verdict on one upgrade request. */
public sealed interface HandshakeDecision {

    /** Upgrade. With no version the socket is upgraded without a subprotocol and closed at once (the spec's rule). */
    record Accept(String identity, Optional<OcppVersion> version) implements HandshakeDecision {}

    /** Answer with an HTTP status and no upgrade. {@code reason} is for logs and metrics only, never sent. */
    record Reject(int status, String reason, Optional<Long> retryAfterSeconds) implements HandshakeDecision {
        public static Reject of(int status, String reason) {
            return new Reject(status, reason, Optional.empty());
        }
    }
}
