package io.ocppgw.edge.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** An HTTP Basic {@code Authorization} header, read. Pure. */
public record BasicCredentials(String username, byte[] password) {

    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // OCPP passwords are bytes (1.6: 16–20 bytes, often hex); the username is the identity.
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] pass = java.util.Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        return Optional.of(new BasicCredentials(user, pass));
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + username.toLowerCase(Locale.ROOT) + ", password hidden]";
    }
}
