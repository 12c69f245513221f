package io.ocppgw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SimulatedChargePointTest {

    @Test
    void shouldSayWhyAConnectionAttemptFailedInWordsAnOperatorCanActOn() {
        assertThat(SimulatedChargePoint.whyRefused(new CompletionException(new OcppClient.HandshakeRefused(401))))
                .isEqualTo("HTTP 401 (credentials refused)");
        assertThat(SimulatedChargePoint.whyRefused(new OcppClient.HandshakeRefused(429)))
                .isEqualTo("HTTP 429 (too many upgrades or failed logins)");
        assertThat(SimulatedChargePoint.whyRefused(new CompletionException(new ConnectException("x"))))
                .isEqualTo("connection refused");
        assertThat(SimulatedChargePoint.whyRefused(new CompletionException(new IllegalStateException("odd"))))
                .isEqualTo("IllegalStateException: odd");
    }
}
