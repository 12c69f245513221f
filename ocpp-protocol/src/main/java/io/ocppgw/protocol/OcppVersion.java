package io.ocppgw.protocol;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The OCPP-J versions this gateway speaks, named by their WebSocket subprotocol token. */
public enum OcppVersion {
    OCPP_1_6("ocpp1.6"),
    OCPP_2_0_1("ocpp2.0.1"),
    OCPP_2_1("ocpp2.1");

    /** The server's preference when a client offers several: newest first. */
    public static final List<OcppVersion> SERVER_PREFERENCE = List.of(OCPP_2_1, OCPP_2_0_1, OCPP_1_6);

    private final String token;

    OcppVersion(String token) {
        this.token = token;
    }

    /** The subprotocol token, e.g. {@code ocpp2.0.1}; also the schema folder name. */
    public String token() {
        return token;
    }

    public boolean isTwoX() {
        return this != OCPP_1_6;
    }

    public static Optional<OcppVersion> fromToken(String token) {
        for (OcppVersion v : values()) {
            if (v.token.equals(token)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Chooses the subprotocol for a handshake: of the versions the client offered, the one the
     * server prefers most among those it has enabled. Empty when there is no common version
     * (the caller must then upgrade without a subprotocol and close, as the spec asks).
     */
    public static Optional<OcppVersion> negotiate(Collection<String> offeredTokens, Collection<OcppVersion> enabled) {
        for (OcppVersion preferred : SERVER_PREFERENCE) {
            if (enabled.contains(preferred) && offeredTokens.stream().anyMatch(t -> preferred.token.equals(t.trim()))) {
                return Optional.of(preferred);
            }
        }
        return Optional.empty();
    }
}
