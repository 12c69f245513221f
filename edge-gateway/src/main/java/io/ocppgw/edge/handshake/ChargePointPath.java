package io.ocppgw.edge.handshake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The charge point identity from an upgrade path {@code <prefix>/<identity>}: percent-decoded, 1–48
 * characters, no ':' (it separates identity and password in Basic auth, and keys of
 * {@code transactions}), no '/' and no control characters. Pure.
 */
public final class ChargePointPath {

    public static final int MAX_IDENTITY_LENGTH = 48;

    private ChargePointPath() {
    }

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
        if (decoded.isEmpty() || decoded.length() > MAX_IDENTITY_LENGTH || decoded.indexOf(':') >= 0 || decoded.indexOf('/') >= 0
                || decoded.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(decoded);
    }
}
