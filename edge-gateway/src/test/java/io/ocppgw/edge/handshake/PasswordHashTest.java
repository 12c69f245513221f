package io.ocppgw.edge.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private static final byte[] PASSWORD = "a1b2c3d4e5f60718293a".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldVerifyThePasswordAtTheIterationCountItsHashWasMadeWith() {
        for (int iterations : new int[] {1, PasswordHash.DEFAULT_ITERATIONS}) {
            String encoded = PasswordHash.create(PASSWORD, iterations);
            assertThat(encoded).startsWith("pbkdf2-sha256$" + iterations + "$");

            PasswordHash hash = PasswordHash.parse(encoded).orElseThrow();
            assertThat(hash.matches(PASSWORD)).isTrue();
            assertThat(hash.matches("a1b2c3d4e5f60718293b".getBytes(StandardCharsets.UTF_8)))
                    .isFalse();
        }
    }

    @Test
    void shouldSaltEveryHash() {
        assertThat(PasswordHash.create(PASSWORD, 1)).isNotEqualTo(PasswordHash.create(PASSWORD, 1));
    }

    @Test
    void shouldRefuseAnIterationCountBelowOneOrNotANumber() {
        assertThat(PasswordHash.parseIterations("1")).contains(1);
        assertThat(PasswordHash.parseIterations("10000")).contains(10_000);
        assertThat(PasswordHash.parseIterations("0")).isEmpty();
        assertThat(PasswordHash.parseIterations("-5")).isEmpty();
        assertThat(PasswordHash.parseIterations("many")).isEmpty();
        assertThat(PasswordHash.parse("pbkdf2-sha256$0$AAAA$AAAA")).isEmpty();
    }
}
