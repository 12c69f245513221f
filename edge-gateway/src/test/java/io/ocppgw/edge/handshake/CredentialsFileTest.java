package io.ocppgw.edge.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void shouldVerifySaltedHashesAndReloadWhenTheFileChanges() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "# identity hash\nCP-1 " + hash("pw-one-1234567890") + "\n\n");
        CredentialsFile credentials = new CredentialsFile(file, Duration.ofSeconds(5), clock);

        assertThat(credentials.hashFor("CP-1"))
                .hasValueSatisfying(
                        h -> assertThat(h.matches(bytes("pw-one-1234567890"))).isTrue());
        assertThat(credentials.hashFor("CP-1").orElseThrow().matches(bytes("pw-two")))
                .isFalse();
        assertThat(credentials.isKnown("CP-2")).isFalse();

        Files.writeString(file, "CP-2 " + hash("pw-two-1234567890") + "\n");
        Files.setLastModifiedTime(file, FileTime.from(now.get().plusSeconds(1)));
        assertThat(credentials.isKnown("CP-2"))
                .as("not re-checked before the interval")
                .isFalse();
        now.set(now.get().plusSeconds(6));
        assertThat(credentials.isKnown("CP-2")).isTrue();
        assertThat(credentials.isKnown("CP-1")).isFalse();
    }

    @Test
    void shouldKeepTheLastGoodContentsWhenAReloadFails() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "CP-1 " + hash("pw-one-1234567890") + "\n");
        CredentialsFile credentials = new CredentialsFile(file, Duration.ofSeconds(1), clock);

        Files.writeString(file, "CP-1 not-a-hash\n");
        Files.setLastModifiedTime(file, FileTime.from(now.get().plusSeconds(1)));
        now.set(now.get().plusSeconds(2));

        assertThat(credentials.isKnown("CP-1")).isTrue();
    }

    @Test
    void shouldRefuseABrokenFileAtStartNamingTheLine() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "CP-1 " + hash("pw") + "\nCP-2 plaintext\n");

        assertThatThrownBy(() -> new CredentialsFile(file, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    private static String hash(String pw) {
        return PasswordHash.create(bytes(pw), 1000);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
