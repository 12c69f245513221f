package io.ocppgw.edge.handshake;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes: {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}. The JDK's PBKDF2,
 * so no dependency; the iteration count is stored with each hash so it can be raised later.
 */
public final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    public static final int DEFAULT_ITERATIONS = 10_000;
    private static final int HASH_BYTES = 32;

    private final String encoded;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(String encoded, int iterations, byte[] salt, byte[] hash) {
        this.encoded = encoded;
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    public static String create(byte[] password, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, iterations));
    }

    public static Optional<PasswordHash> parse(String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1) {
                return Optional.empty();
            }
            return Optional.of(new PasswordHash(
                    encoded,
                    iterations,
                    Base64.getDecoder().decode(parts[2]),
                    Base64.getDecoder().decode(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The hash as stored. */
    public String encoded() {
        return encoded;
    }

    /** Constant-time comparison. Costs {@code iterations} HMACs: call it off the IO thread. */
    public boolean matches(byte[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    private static byte[] derive(byte[] password, byte[] salt, int iterations) {
        // PBEKeySpec takes chars; map bytes 1:1 (ISO-8859-1) so any byte password works.
        char[] chars = new char[password.length];
        for (int i = 0; i < password.length; i++) {
            chars[i] = (char) (password[i] & 0xff);
        }
        try {
            PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        }
    }

    /**
     * {@code java -cp ocppgw.jar io.ocppgw.edge.handshake.PasswordHash <password> [<iterations>]} prints a hash line value.
     * Fewer iterations suit only keys the CSMS generates at random (docs/operations.md): a storm re-checks every one.
     */
    public static void main(String[] args) {
        Optional<Integer> iterations = args.length == 2 ? parseIterations(args[1]) : Optional.of(DEFAULT_ITERATIONS);
        if (args.length < 1 || args.length > 2 || iterations.isEmpty()) {
            System.err.println("usage: PasswordHash <password> [<iterations>, a whole number from 1, default "
                    + DEFAULT_ITERATIONS + "]");
            System.exit(2);
        }
        System.out.println(create(args[0].getBytes(java.nio.charset.StandardCharsets.UTF_8), iterations.get()));
    }

    static Optional<Integer> parseIterations(String text) {
        try {
            int n = Integer.parseInt(text);
            return n >= 1 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
