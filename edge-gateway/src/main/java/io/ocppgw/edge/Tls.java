package io.ocppgw.edge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS for security profiles 2 and 3: a PKCS12 key store (it may hold an RSA and an
 * ECDSA key; the JDK picks per handshake what the client supports) and, for client certificates, a
 * trust store of the CAs that sign charge point certificates. TLS 1.2 and 1.3 only (set on the listener).
 */
public record Tls(Path keyStore, String keyStorePassword, Optional<Path> trustStore, String trustStorePassword) {

    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(load(keyStore, keyStorePassword), keyStorePassword.toCharArray());
            TrustManagerFactory trust = null;
            if (trustStore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore.get(), trustStorePassword));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the TLS key or trust store: " + e.getMessage(), e);
        }
    }

    static KeyStore load(Path path, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }
}
