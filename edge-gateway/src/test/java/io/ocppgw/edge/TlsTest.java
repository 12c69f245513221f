package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The TLS offer, without a handshake (those are in {@code EdgeTlsIT}). */
class TlsTest {

    /** {@code jdk.tls.disabledAlgorithms} as JDK 25 ships it. */
    private static final String JDK_25 =
            "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
                    + "3DES_EDE_CBC, anon, NULL, ECDH, TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature, ecdsa_sha1 usage HandshakeSignature, "
                    + "dsa_sha1 usage HandshakeSignature";

    @Test
    void shouldLiftOnlyTheJdksBanOnRsaKeyExchangeAndOnlyWhenSuchASuiteIsOffered() {
        String lifted = Tls.allowing(JDK_25, Tls.DEFAULT_SUITES);

        assertThat(lifted)
                .doesNotContain("TLS_RSA_*")
                .contains("SSLv3", "3DES_EDE_CBC", "ECDH", "rsa_pkcs1_sha1 usage HandshakeSignature");
        assertThat(lifted.split(",")).hasSize(JDK_25.split(",").length - 1);
        assertThat(Tls.allowing(JDK_25, List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")))
                .isEqualTo(JDK_25);
        assertThat(Tls.allowing("SSLv3, RC4", Tls.DEFAULT_SUITES)).isEqualTo("SSLv3, RC4");
    }

    @Test
    void shouldOfferWhatOcppCertificationRequiresByDefault() {
        assertThat(Tls.DEFAULT_SUITES).containsAll(Tls.OCPP_REQUIRED_SUITES);
        assertThat(Tls.enable(Tls.DEFAULT_SUITES))
                .as("suites this JDK cannot offer")
                .isEmpty();
    }
}
