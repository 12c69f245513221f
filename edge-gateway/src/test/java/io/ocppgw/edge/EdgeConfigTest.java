package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppgw.edge.upstream.FallbackPolicy;
import io.ocppgw.edge.upstream.ResponderPolicy;
import io.ocppgw.edge.upstream.ValidationPolicy;
import io.ocppgw.support.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

    @Test
    void shouldDefaultToTheDesignsPolicies() {
        EdgeConfig c =
                EdgeConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "OCPPGW_POD_ID", "edge-gateway-1"));

        assertThat(c.kafka()).containsEntry("bootstrap.servers", "k:9092");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.adminPort()).isEqualTo(9080);
        assertThat(c.pathPrefix()).isEqualTo("/ocpp");
        assertThat(c.answerBudget()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.calls().responderFor("Authorize")).isEqualTo(ResponderPolicy.BACKEND);
        assertThat(c.calls().responderFor("StartTransaction")).isEqualTo(ResponderPolicy.BACKEND);
        assertThat(c.calls().responderFor("MeterValues")).isEqualTo(ResponderPolicy.ACK);
        assertThat(c.calls().fallbackFor("DataTransfer")).isEqualTo(FallbackPolicy.ANSWER);
        assertThat(c.calls().fallbackFor("StartTransaction")).isEqualTo(FallbackPolicy.CLOSE);
        assertThat(c.calls().validationFor("BootNotification")).isEqualTo(ValidationPolicy.STRICT);
        assertThat(c.sessionLimits().maxFrameBytes()).isEqualTo(1 << 20);
    }

    @Test
    void shouldReadPerActionOverrides() {
        EdgeConfig c = EdgeConfig.fromEnv(Map.of(
                "OCPPGW_BOOTSTRAP_SERVER",
                "k:9092",
                "OCPPGW_RESPONDERS",
                "Authorize=ack, StartTransaction=SEQUENCE",
                "OCPPGW_VALIDATION_OVERRIDES",
                "MeterValues=warn",
                "OCPPGW_PATH_PREFIX",
                "/ws/"));

        assertThat(c.calls().responderFor("Authorize")).isEqualTo(ResponderPolicy.ACK);
        assertThat(c.calls().responderFor("StartTransaction")).isEqualTo(ResponderPolicy.SEQUENCE);
        assertThat(c.calls().validationFor("MeterValues")).isEqualTo(ValidationPolicy.WARN);
        assertThat(c.pathPrefix()).isEqualTo("/ws");
    }

    @Test
    void shouldNameEveryBadVariableValueAndRule() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of(
                        "OCPPGW_PORT", "http",
                        "OCPPGW_SECURITY_PROFILE", "1",
                        "OCPPGW_RESPONDERS", "Authorize=maybe,Heartbeat=sequence",
                        "OCPPGW_OCPP_VERSIONS", "ocpp1.6,ocpp3",
                        "OCPPGW_LEASE_INTERVAL", "PT10S",
                        "OCPPGW_LEASE_TTL", "PT12S")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS) is not set: it is required",
                                        "OCPPGW_CREDENTIALS_FILE is not set: security profile 1 needs it",
                                        "OCPPGW_PORT='http': must be a whole number from 1 to 65535",
                                        "OCPPGW_OCPP_VERSIONS='ocpp1.6,ocpp3': 'ocpp3' is not one of ocpp1.6, ocpp2.0.1, ocpp2.1",
                                        "OCPPGW_RESPONDERS='Authorize=maybe,Heartbeat=sequence': 'Authorize=maybe' must be Action=ack|backend|sequence",
                                        "OCPPGW_LEASE_TTL='PT12S': must be at least twice OCPPGW_LEASE_INTERVAL (PT10S) so one late renewal does not expire the pod",
                                        "OCPPGW_RESPONDERS: 'Heartbeat=sequence': sequence answers only 1.6 StartTransaction"));
    }

    @Test
    void shouldRequireKeyAndTrustStoresForTheTlsProfiles() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "k:1",
                        "OCPPGW_SECURITY_PROFILE",
                        "2",
                        "OCPPGW_CREDENTIALS_FILE",
                        "/nonexistent")))
                .hasMessageContaining("OCPPGW_TLS_KEYSTORE is not set: security profile 2 needs a PKCS12 key store")
                .hasMessageContaining("OCPPGW_CREDENTIALS_FILE='/nonexistent': must be a readable file");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "k:1",
                        "OCPPGW_SECURITY_PROFILE",
                        "3",
                        "OCPPGW_TLS_KEYSTORE",
                        "/nonexistent.p12")))
                .hasMessageContaining("OCPPGW_TLS_TRUSTSTORE is not set");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "k:1",
                        "OCPPGW_SECURITY_PROFILE",
                        "3",
                        "OCPPGW_TLS_KEYSTORE",
                        "/nonexistent.p12",
                        "OCPPGW_TLS_TRUSTSTORE",
                        "/nonexistent.p12")))
                .hasMessageContaining(
                        "OCPPGW_TLS_KEYSTORE='/nonexistent.p12', OCPPGW_TLS_TRUSTSTORE='/nonexistent.p12': must open as PKCS12");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(
                        Map.of("OCPPGW_BOOTSTRAP_SERVER", "k:1", "OCPPGW_CLIENT_CERT_HEADER", "X-Cert")))
                .hasMessageContaining("OCPPGW_CLIENT_CERT_HEADER='X-Cert': only used with OCPPGW_SECURITY_PROFILE=3");
    }

    @Test
    void shouldNameCipherSuitesThisJdkDoesNotKnowOrThatCannotBeUsed() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "k:1",
                        "OCPPGW_SECURITY_PROFILE",
                        "2",
                        "OCPPGW_TLS_KEYSTORE",
                        "/nonexistent.p12",
                        "OCPPGW_TLS_CIPHER_SUITES",
                        "TLS_AES_128_GCM_SHA256, TLS_MADE_UP_SUITE")))
                .hasMessageContaining(
                        "OCPPGW_TLS_CIPHER_SUITES='TLS_AES_128_GCM_SHA256, TLS_MADE_UP_SUITE': must list cipher suites this JDK"
                                + " supports, by their standard names (not known: TLS_MADE_UP_SUITE)");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "k:1",
                        "OCPPGW_SECURITY_PROFILE",
                        "1",
                        "OCPPGW_CREDENTIALS_FILE",
                        "/nonexistent",
                        "OCPPGW_TLS_CIPHER_SUITES",
                        "TLS_AES_128_GCM_SHA256")))
                .hasMessageContaining(
                        "OCPPGW_TLS_CIPHER_SUITES='TLS_AES_128_GCM_SHA256': only used with OCPPGW_SECURITY_PROFILE 2 or 3");
    }

    @Test
    void shouldAcceptProfile3BehindATlsOffloadingProxyThatPassesTheSubject() {
        EdgeConfig c = EdgeConfig.fromEnv(Map.of(
                "OCPPGW_BOOTSTRAP_SERVER",
                "k:1",
                "OCPPGW_SECURITY_PROFILE",
                "3",
                "OCPPGW_CLIENT_CERT_HEADER",
                "X-SSL-Client-DN",
                "OCPPGW_CLIENT_CERT_ORGANIZATION",
                "Acme"));

        assertThat(c.tls()).isEmpty();
        assertThat(c.clientCertHeader()).contains("X-SSL-Client-DN");
    }
}
