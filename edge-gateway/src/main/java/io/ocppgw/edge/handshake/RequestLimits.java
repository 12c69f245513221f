package io.ocppgw.edge.handshake;

import java.time.Duration;
import java.util.Optional;

/**
 * What an upgrade request may be before the gate looks at it, as a public server limits it: refused
 * before any work (authentication, subprotocols), with the status that names the excess. An OCPP
 * upgrade needs a short path, a dozen headers and Basic credentials. Pure.
 *
 * <p>Undertow's own parser stops requests far past these ({@link #parserMaxHeaderBytes},
 * {@link #parserMaxHeaders}): with a 400 and a closed connection, before any handler runs.
 *
 * @param maxUriBytes    the request target, path and query: longer gets 414
 * @param maxHeaders     header fields: more get 431
 * @param maxHeaderBytes all header fields, each counted as name, ": " and value: more get 431
 * @param timeout        the whole request must have arrived within this (a request dribbled in byte by byte)
 */
public record RequestLimits(int maxUriBytes, int maxHeaders, int maxHeaderBytes, Duration timeout) {

    public static final RequestLimits DEFAULTS = new RequestLimits(2048, 64, 8192, Duration.ofSeconds(10));

    /** How far past the limits a request may be before Undertow refuses it itself, without a word to the gate. */
    private static final int PARSER_MARGIN = 4;

    /** The refusal of a request of this size, if it is too big. */
    public Optional<HandshakeDecision.Reject> check(int uriBytes, int headers, int headerBytes) {
        if (uriBytes > maxUriBytes) {
            return Optional.of(
                    HandshakeDecision.Reject.of(414, "request target of " + uriBytes + " bytes, over " + maxUriBytes));
        }
        if (headers > maxHeaders) {
            return Optional.of(HandshakeDecision.Reject.of(431, headers + " header fields, over " + maxHeaders));
        }
        if (headerBytes > maxHeaderBytes) {
            return Optional.of(HandshakeDecision.Reject.of(
                    431, "header fields of " + headerBytes + " bytes, over " + maxHeaderBytes));
        }
        return Optional.empty();
    }

    /** Undertow's {@code MAX_HEADER_SIZE}: the request line and header block it reads at most. */
    public int parserMaxHeaderBytes() {
        return PARSER_MARGIN * (maxUriBytes + maxHeaderBytes);
    }

    /** Undertow's {@code MAX_HEADERS}. */
    public int parserMaxHeaders() {
        return PARSER_MARGIN * maxHeaders;
    }
}
