package io.ocppgw.edge.handshake;

import io.ocppgw.protocol.ChargePointIdentity;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The charge point identity from an upgrade path {@code <prefix>/<identity>}: percent-decoded, and
 * then a {@link ChargePointIdentity#isPossible possible identity}. Pure.
 */
public final class ChargePointPath {

    public static final int MAX_IDENTITY_LENGTH = ChargePointIdentity.MAX_LENGTH;

    private ChargePointPath() {}

    public static Optional<String> identity(String prefix, String rawPath) {
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        if (rawPath == null || !rawPath.startsWith(base)) {
            return Optional.empty();
        }
        String encoded = rawPath.substring(base.length());
        if (encoded.isEmpty() || encoded.contains("/")) {
            return Optional.empty();
        }
        String decoded;
        try {
            // '+' is a literal plus in a path, not a space
            decoded = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return ChargePointIdentity.isPossible(decoded) ? Optional.of(decoded) : Optional.empty();
    }
}
