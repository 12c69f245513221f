package io.ocppgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class LightFleetTlsTest {

    @Test
    void shouldMakeEnginesWithoutAPeerSoNoChargePointResumesAnothersSession() {
        SSLContext context = LightFleet.trustingContext();

        // the JDK looks a session up by peer host and port; without them every handshake is a full one
        SSLEngine engine = context.createSSLEngine("127.0.0.1", 8443);
        assertThat(engine.getPeerHost()).isNull();
        assertThat(engine.getPeerPort()).isEqualTo(-1);
        assertThat(context.getProtocol()).isEqualTo("TLSv1.2");
    }
}
