package io.ocppgw.edge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The server's TLS for security profiles 2 and 3: a PKCS12 key store (it may hold an RSA and an
 * ECDSA key; the JDK picks per handshake what the client supports) and, for client certificates, a
 * trust store of the CAs that sign charge point certificates. TLS 1.2 and 1.3 only (set on the listener).
 */
public record Tls(Path keyStore, String keyStorePassword, Optional<Path> trustStore, String trustStorePassword) {

    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public SSLContext serverContext() {
        try {
            TrustManagerFactory trust = null;
            if (trustStore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore.get(), trustStorePassword));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager()}, trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the TLS key or trust store: " + e.getMessage(), e);
        }
    }

    /** The server's keys, decrypted once. */
    X509KeyManager keyManager() throws GeneralSecurityException, IOException {
        // SunX509 decrypts the private keys once, here. PKIX reads a key from the PKCS12 store again on every handshake,
        // running the store's PBKDF2 each time (JDK-8322767): an eighth of a pod's CPU in a reconnect storm.
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(load(keyStore, keyStorePassword), keyStorePassword.toCharArray());
        return (X509KeyManager) keys.getKeyManagers()[0];
    }

    static KeyStore load(Path path, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }
}
