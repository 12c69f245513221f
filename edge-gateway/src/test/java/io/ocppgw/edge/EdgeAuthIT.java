package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ocppgw.edge.handshake.PasswordHash;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.records.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Security profile 1 (Basic auth over ws) with a credentials file, through real sockets. */
@WithKafkaBroker
class EdgeAuthIT {

    private static final String PASSWORD = "0123456789abcdef0123";
    private static EdgeFixture edge;

    @BeforeAll
    static void start(EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(
                credentials,
                "CP-AUTH " + PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 1000) + "\n"
                        + "CP-OTHER "
                        + PasswordHash.create("another-password-123".getBytes(StandardCharsets.UTF_8), 1000) + "\n"
                        + "CP-GUESSED " + PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 1000) + "\n"
                        + "CP-REFUSED " + PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 1000) + "\n"
                        + "CP-ROTATED " + PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 1000) + "\n");
        edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of("OCPPGW_SECURITY_PROFILE", "1", "OCPPGW_CREDENTIALS_FILE", credentials.toString()));
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldAcceptTheRightPasswordInEachVersion(OcppVersion version) throws Exception {
        OcppClient cp = OcppClient.connect(
                        edge.url(), "CP-AUTH", OcppClient.Options.of(version).withPassword(PASSWORD))
                .get(10, TimeUnit.SECONDS);

        assertThat(cp.version()).contains(version);
        assertThat(cp.call("Heartbeat", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode())
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(io.ocppgw.protocol.OcppFrame.CallResult.class);
        cp.close();
    }

    @Test
    void shouldRefuseWrongPasswordsMissingAuthOtherUsersAndUnknownIdentitiesAndJournalNothing() {
        assertThat(refusal(
                        "CP-GUESSED",
                        OcppClient.Options.of(OcppVersion.OCPP_1_6).withPassword("wrong-password-0000")))
                .isEqualTo(401);
        assertThat(refusal("CP-AUTH", OcppClient.Options.of(OcppVersion.OCPP_1_6)))
                .isEqualTo(401);
        assertThat(refusal(
                        "CP-OTHER", OcppClient.Options.of(OcppVersion.OCPP_1_6).withPassword(PASSWORD)))
                .isEqualTo(401);
        assertThat(refusal(
                        "CP-NOBODY", OcppClient.Options.of(OcppVersion.OCPP_1_6).withPassword(PASSWORD)))
                .isEqualTo(404);

        assertThat(edge.read(Topic.OCPP_JOURNAL, JournalEntry.class))
                .noneMatch(r -> !r.value().chargePointId().equals("CP-AUTH"));
    }

    @Test
    void shouldMakeAnIdentityWaitAfterAWrongPasswordThenLetTheRightOneIn() {
        OcppClient.Options right = OcppClient.Options.of(OcppVersion.OCPP_1_6).withPassword(PASSWORD);
        assertThat(refusal(
                        "CP-ROTATED",
                        OcppClient.Options.of(OcppVersion.OCPP_1_6).withPassword("the-old-password-000")))
                .isEqualTo(401);
        assertThat(refusal("CP-ROTATED", right))
                .as("checked again only after a second")
                .isEqualTo(429);

        OcppClient cp = await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions()
                .until(
                        () -> OcppClient.connect(edge.url(), "CP-ROTATED", right)
                                .get(10, TimeUnit.SECONDS),
                        c -> c != null);
        assertThat(cp.version()).contains(OcppVersion.OCPP_1_6);
        cp.close();
    }

    private static int refusal(String identity, OcppClient.Options options) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> OcppClient.connect(edge.url(), identity, options).get(10, TimeUnit.SECONDS));
        assertThat(thrown).hasRootCauseInstanceOf(OcppClient.HandshakeRefused.class);
        Throwable root = thrown;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return ((OcppClient.HandshakeRefused) root).status();
    }

    @Test
    void shouldNotLetARefusedPeerConnect() {
        assertThatThrownBy(() -> OcppClient.connect(
                                edge.url(),
                                "CP-REFUSED",
                                OcppClient.Options.of(OcppVersion.OCPP_2_0_1).withPassword("x"))
                        .get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(OcppClient.HandshakeRefused.class);
    }
}
