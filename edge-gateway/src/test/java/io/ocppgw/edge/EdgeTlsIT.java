package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ocppgw.edge.handshake.PasswordHash;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security profiles 2 (Basic over TLS) and 3 (client certificates) with certificates made by keytool. */
@WithKafkaBroker
class EdgeTlsIT {

    private static final String PASSWORD = "tls-password-0123456";
    private static TestPki pki;
    private static Path credentials;

    @BeforeAll
    static void certificates(@TempDir Path dir) throws Exception {
        pki = TestPki.create(dir);
        credentials = dir.resolve("credentials");
        Files.writeString(
                credentials, "CP-TLS " + PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 1000) + "\n");
    }

    @Test
    void shouldServeBasicAuthOverTlsWithRsaAndEcdsaCertificates(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_SECURITY_PROFILE",
                        "2",
                        "OCPPGW_CREDENTIALS_FILE",
                        credentials.toString(),
                        "OCPPGW_TLS_KEYSTORE",
                        pki.serverKeys.toString(),
                        "OCPPGW_TLS_KEYSTORE_PASSWORD",
                        TestPki.PASSWORD))) {
            String url = "wss://127.0.0.1:" + edge.app.port() + "/ocpp";
            OcppClient.Options options = new OcppClient.Options(
                    List.of("ocpp2.0.1"),
                    Optional.of(PASSWORD),
                    Duration.ofSeconds(10),
                    Optional.of(pki.clientContext(Optional.empty())),
                    OcppClient.Options.of(OcppVersion.OCPP_2_0_1).handler());

            OcppClient cp = OcppClient.connect(url, "CP-TLS", options).get(10, TimeUnit.SECONDS);
            assertThat(cp.call("Heartbeat", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode())
                            .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(OcppFrame.CallResult.class);
            cp.close();
            assertThat(status(catchThrowable(() -> OcppClient.connect(
                                    url,
                                    "CP-TLS",
                                    new OcppClient.Options(
                                            options.subprotocols(),
                                            Optional.of("wrong-password-000"),
                                            options.connectTimeout(),
                                            options.tls(),
                                            options.handler()))
                            .get(10, TimeUnit.SECONDS))))
                    .isEqualTo(401);

            assertThat(serverKeyAlgorithm(edge, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLSv1.2"))
                    .isEqualTo("EC");
            assertThat(serverKeyAlgorithm(edge, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLSv1.2"))
                    .isEqualTo("RSA");
        }
    }

    @Test
    void shouldOfferEachSuiteOcppCertificationRequiresAndNoneItLeftOut(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_SECURITY_PROFILE",
                        "2",
                        "OCPPGW_CREDENTIALS_FILE",
                        credentials.toString(),
                        "OCPPGW_TLS_KEYSTORE",
                        pki.serverKeys.toString(),
                        "OCPPGW_TLS_KEYSTORE_PASSWORD",
                        TestPki.PASSWORD))) {
            for (String suite : Tls.OCPP_REQUIRED_SUITES) {
                assertThat(serverKeyAlgorithm(edge, suite, "TLSv1.2"))
                        .as(suite)
                        .isEqualTo(suite.contains("ECDSA") ? "EC" : "RSA");
            }
            assertThat(serverKeyAlgorithm(edge, "TLS_AES_128_GCM_SHA256", "TLSv1.3"))
                    .isIn("EC", "RSA");
            // offered by the JDK by default, not by the gateway: CBC without forward secrecy
            assertThat(catchThrowable(() -> serverKeyAlgorithm(edge, "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLSv1.2")))
                    .isInstanceOf(SSLHandshakeException.class);
        }
        try (EdgeFixture narrowed = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_SECURITY_PROFILE",
                        "2",
                        "OCPPGW_CREDENTIALS_FILE",
                        credentials.toString(),
                        "OCPPGW_TLS_KEYSTORE",
                        pki.serverKeys.toString(),
                        "OCPPGW_TLS_KEYSTORE_PASSWORD",
                        TestPki.PASSWORD,
                        "OCPPGW_TLS_CIPHER_SUITES",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))) {
            assertThat(serverKeyAlgorithm(narrowed, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLSv1.2"))
                    .isEqualTo("EC");
            assertThat(catchThrowable(() -> serverKeyAlgorithm(narrowed, "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLSv1.2")))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void shouldDecryptTheServerKeysOnceNotOnEveryHandshake() throws Exception {
        X509KeyManager keys =
                new Tls(pki.serverKeys, TestPki.PASSWORD, Optional.empty(), "", Tls.DEFAULT_SUITES).keyManager();

        for (String algorithm : List.of("EC", "RSA")) {
            PrivateKey first = keys.getPrivateKey(keys.chooseServerAlias(algorithm, null, null));
            assertThat(first.getAlgorithm()).isEqualTo(algorithm);
            // each handshake chooses an alias and asks for its key: the same object means nothing was decrypted again
            assertThat(keys.getPrivateKey(keys.chooseServerAlias(algorithm, null, null)))
                    .isSameAs(first);
        }
    }

    @Test
    void shouldAcceptOnlyAClientCertificateIssuedForTheIdentityAndOrganization(EmbeddedKafka kafka) throws Exception {
        Path good = pki.clientKeys("cp-tls", "CN=CP-TLS,O=Acme");
        Path otherOrg = pki.clientKeys("cp-tls-evil", "CN=CP-TLS,O=Evil");
        try (EdgeFixture edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_SECURITY_PROFILE",
                        "3",
                        "OCPPGW_TLS_KEYSTORE",
                        pki.serverKeys.toString(),
                        "OCPPGW_TLS_KEYSTORE_PASSWORD",
                        TestPki.PASSWORD,
                        "OCPPGW_TLS_TRUSTSTORE",
                        pki.caTrust.toString(),
                        "OCPPGW_TLS_TRUSTSTORE_PASSWORD",
                        TestPki.PASSWORD,
                        "OCPPGW_CLIENT_CERT_ORGANIZATION",
                        "Acme"))) {
            String url = "wss://127.0.0.1:" + edge.app.port() + "/ocpp";

            OcppClient cp = OcppClient.connect(url, "CP-TLS", certOptions(Optional.of(good)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(cp.version()).contains(OcppVersion.OCPP_2_0_1);
            cp.close();

            assertThat(status(catchThrowable(() -> OcppClient.connect(url, "CP-OTHER", certOptions(Optional.of(good)))
                            .get(10, TimeUnit.SECONDS))))
                    .as("certificate for another identity")
                    .isEqualTo(401);
            assertThat(status(catchThrowable(() -> OcppClient.connect(url, "CP-TLS", certOptions(Optional.of(otherOrg)))
                            .get(10, TimeUnit.SECONDS))))
                    .as("wrong organization")
                    .isEqualTo(401);
            assertThat(status(catchThrowable(() -> OcppClient.connect(url, "CP-TLS", certOptions(Optional.empty()))
                            .get(10, TimeUnit.SECONDS))))
                    .as("no certificate")
                    .isEqualTo(401);
        }
    }

    private static OcppClient.Options certOptions(Optional<Path> keys) throws Exception {
        return new OcppClient.Options(
                List.of("ocpp2.0.1"),
                Optional.empty(),
                Duration.ofSeconds(10),
                Optional.of(pki.clientContext(keys)),
                OcppClient.Options.of(OcppVersion.OCPP_2_0_1).handler());
    }

    private static String serverKeyAlgorithm(EdgeFixture edge, String suite, String protocol) throws Exception {
        SSLContext context = pki.clientContext(Optional.empty());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", edge.app.port())) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm();
        }
    }

    private static int status(Throwable thrown) {
        Throwable t = thrown;
        while (t != null && !(t instanceof OcppClient.HandshakeRefused)) {
            t = t.getCause();
        }
        assertThat(t).as("refused at the handshake: %s", thrown).isNotNull();
        return ((OcppClient.HandshakeRefused) t).status();
    }
}
