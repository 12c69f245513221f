package io.ocppgw.edge;

import io.ocppgw.protocol.OcppVersion;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * RFC 6455 handshake that picks the subprotocol in the server's preference order (2.1, 2.0.1, 1.6),
 * not the client's, and answers without one when nothing matches (Undertow's own choice would take
 * the client's first, and would also upgrade silently without one).
 */
final class OcppHandshake extends Hybi13Handshake {

    private final Collection<OcppVersion> enabled;

    OcppHandshake(Collection<OcppVersion> enabled) {
        super(tokens(enabled), true);
        this.enabled = enabled;
    }

    /** RFC 6455 §4.2.1: an upgrade to anything but {@code websocket} (h2c, say) is not a WebSocket handshake. */
    @Override
    public boolean matches(WebSocketHttpExchange exchange) {
        String upgrade = exchange.getRequestHeader("Upgrade");
        return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket") && super.matches(exchange);
    }

    @Override
    protected String supportedSubprotols(String[] requested) {
        return OcppVersion.negotiate(Arrays.asList(requested), enabled)
                .map(OcppVersion::token)
                .orElse(null);
    }

    private static Set<String> tokens(Collection<OcppVersion> versions) {
        Set<String> t = new LinkedHashSet<>();
        versions.forEach(v -> t.add(v.token()));
        return t;
    }
}
