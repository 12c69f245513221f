package io.ocppgw.edge.handshake;

import java.util.List;

/** What the gate needs of an upgrade request; built from the HTTP exchange by the server. */
public record HandshakeRequest(String path, String authorization, List<String> offeredSubprotocols) {

    public HandshakeRequest {
        offeredSubprotocols = List.copyOf(offeredSubprotocols);
    }
}
