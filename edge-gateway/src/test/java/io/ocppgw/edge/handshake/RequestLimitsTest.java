package io.ocppgw.edge.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {

    private final RequestLimits limits = new RequestLimits(256, 16, 1024, Duration.ofSeconds(1));

    @Test
    void shouldLetARequestAtEveryLimitThrough() {
        assertThat(limits.check(256, 16, 1024)).isEmpty();
    }

    @Test
    void shouldRefuseOneOverEachLimitWithTheStatusThatNamesIt() {
        assertThat(limits.check(257, 1, 1))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(414));
        assertThat(limits.check(1, 17, 1))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(431));
        assertThat(limits.check(1, 1, 1025)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.reason()).isEqualTo("header fields of 1025 bytes, over 1024");
        });
    }

    @Test
    void shouldLeaveUndertowsOwnParserLimitsFarAboveTheGatesSoTheGateAnswers() {
        assertThat(limits.parserMaxHeaderBytes()).isGreaterThan(2 * (256 + 1024));
        assertThat(limits.parserMaxHeaders()).isGreaterThan(2 * 16);
        assertThat(RequestLimits.DEFAULTS.parserMaxHeaderBytes())
                .as("Undertow's default is 1 MiB")
                .isLessThan(1 << 20);
    }
}
