package io.ocppgw.edge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS for security profiles 2 and 3: a PKCS12 key store (it may hold an RSA and an
 * ECDSA key; the JDK picks per handshake what the client supports) and, for client certificates, a
 * trust store of the CAs that sign charge point certificates. TLS 1.2 and 1.3 only, and exactly the
 * cipher suites given (both set on the listener), whatever the JDK enables by default. The JDK never
 * compresses TLS.
 *
 * @param cipherSuites the suites offered, by their standard names
 */
public record Tls(
        Path keyStore,
        String keyStorePassword,
        Optional<Path> trustStore,
        String trustStorePassword,
        List<String> cipherSuites) {

    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * What OCPP 2.0.1/2.1 (A00.FR.318, A00.FR.421) and the 1.6 security whitepaper require a CSMS to
     * offer over TLS 1.2: two for an ECDSA key, two for an RSA key.
     */
    public static final List<String> OCPP_REQUIRED_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384");

    /** Offered unless narrowed: TLS 1.3's AEAD suites, forward-secret GCM suites for either key, and what OCPP requires. */
    public static final List<String> DEFAULT_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384");

    /** The entry of {@code jdk.tls.disabledAlgorithms} by which JDK 24 and newer refuse every {@code TLS_RSA_*} suite. */
    static final String JDK_RSA_KEY_EXCHANGE_BAN = "TLS_RSA_*";

    public Tls {
        cipherSuites = List.copyOf(cipherSuites);
    }

    /**
     * {@code disabledAlgorithms} (the value of the security property {@code jdk.tls.disabledAlgorithms})
     * without the JDK's ban on RSA key exchange when {@code suites} offer such a suite; else unchanged.
     */
    static String allowing(String disabledAlgorithms, List<String> suites) {
        if (disabledAlgorithms == null || suites.stream().noneMatch(s -> s.startsWith("TLS_RSA_"))) {
            return disabledAlgorithms;
        }
        return Arrays.stream(disabledAlgorithms.split(","))
                .map(String::strip)
                .filter(a -> !a.equals(JDK_RSA_KEY_EXCHANGE_BAN))
                .collect(Collectors.joining(", "));
    }

    /**
     * Makes {@code suites} offerable in this process and returns those this JDK does not know. JDK 24
     * and newer ban the {@code TLS_RSA_*} suites OCPP requires for an RSA key; offering them lifts that
     * ban for this process, which takes effect only before the JDK's TLS is first used: call this first.
     */
    public static List<String> enable(List<String> suites) {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        String allowed = allowing(disabled, suites);
        if (!Objects.equals(disabled, allowed)) {
            Security.setProperty("jdk.tls.disabledAlgorithms", allowed);
            LOG.info("this JDK disables the TLS_RSA_* cipher suites; enabled, as the suites to offer include some");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            return suites.stream().filter(s -> !supported.contains(s)).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

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
        // SunX509 decrypts the private keys once, here. PKIX reads a key from the PKCS12 store again on every
        // handshake,
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
