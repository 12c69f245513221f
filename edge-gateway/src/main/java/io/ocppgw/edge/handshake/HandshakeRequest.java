package io.ocppgw.edge.handshake;

import java.util.List;
import java.util.Optional;

/**
 * What the gate needs of an upgrade request; built from the HTTP exchange by the server.
 *
 * @param clientCertificate the verified TLS client certificate's subject, or the one a trusted
 *                          TLS-offloading proxy put in its header (only when configured)
 */
public record HandshakeRequest(
        String path,
        String authorization,
        List<String> offeredSubprotocols,
        Optional<ClientCertificate> clientCertificate) {

    public HandshakeRequest {
        offeredSubprotocols = List.copyOf(offeredSubprotocols);
    }

    public HandshakeRequest(String path, String authorization, List<String> offeredSubprotocols) {
        this(path, authorization, offeredSubprotocols, Optional.empty());
    }
}
