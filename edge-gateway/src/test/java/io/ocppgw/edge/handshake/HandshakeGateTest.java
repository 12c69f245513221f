package io.ocppgw.edge.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.protocol.OcppVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeGateTest {

    private static final PasswordHash SECRET = PasswordHash.parse(PasswordHash.create(bytes("s3cret-pass-0001"), 1000))
            .orElseThrow();
    /** CP-1, CP 2 and CP-100 to CP-199 are registered, all with SECRET. */
    private final CredentialStore store =
            id -> Optional.ofNullable(Map.of("CP-1", SECRET, "CP 2", SECRET).get(id))
                    .or(() -> id.matches("CP-1\\d\\d") ? Optional.of(SECRET) : Optional.empty());

    private final AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.empty());
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();

    private HandshakeGate gate(SecurityProfile profile, boolean requireKnown, int cap, TokenBucket bucket) {
        return gate(profile, requireKnown, cap, bucket, new FailedLogins(1000, 0));
    }

    private HandshakeGate gate(
            SecurityProfile profile, boolean requireKnown, int cap, TokenBucket bucket, FailedLogins failedLogins) {
        return new HandshakeGate(
                "/ocpp",
                profile,
                Optional.of("Acme"),
                Optional.of(store),
                requireKnown,
                EnumSet.allOf(OcppVersion.class),
                notReady::get,
                open::get,
                cap,
                bucket,
                failedLogins,
                now::get);
    }

    private HandshakeGate open() {
        return gate(SecurityProfile.NONE, false, 100, new TokenBucket(1000, 1000, 0));
    }

    private HandshakeGate basic() {
        return gate(SecurityProfile.BASIC, true, 100, new TokenBucket(1000, 1000, 0));
    }

    @Test
    void shouldAcceptAWellFormedRequestWithTheServersPreferredVersion() {
        assertThat(open().decide(new HandshakeRequest("/ocpp/CP-1", null, List.of("ocpp1.6", "ocpp2.0.1"))))
                .isEqualTo(new HandshakeDecision.Accept("CP-1", Optional.of(OcppVersion.OCPP_2_0_1)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/ocpp/",
                "/ocpp",
                "/other/CP-1",
                "/ocpp/a/b",
                "/ocpp/a%3Ab",
                "/ocpp/a%2Fb",
                "/ocpp/%zz",
                "/ocpp/a%00b",
                "/ocpp/0123456789012345678901234567890123456789012345678"
            })
    void shouldRefuseMalformedIdentitiesWith400(String path) {
        assertThat(open().decide(new HandshakeRequest(path, null, List.of("ocpp1.6"))))
                .isInstanceOfSatisfying(
                        HandshakeDecision.Reject.class,
                        r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void shouldPercentDecodeTheIdentity() {
        assertThat(basic().decide(new HandshakeRequest(
                        "/ocpp/CP%202", basicAuth("CP 2", "s3cret-pass-0001"), List.of("ocpp1.6"))))
                .isEqualTo(new HandshakeDecision.Accept("CP 2", Optional.of(OcppVersion.OCPP_1_6)));
        assertThat(ChargePointPath.identity("/ocpp", "/ocpp/a+b")).contains("a+b");
    }

    @Test
    void shouldCheckRegistryThenCredentialsWithoutSayingWhichPartFailed() {
        assertThat(status(
                        basic().decide(new HandshakeRequest("/ocpp/CP-9", basicAuth("CP-9", "x"), List.of("ocpp1.6")))))
                .isEqualTo(404);
        assertThat(status(basic().decide(
                                new HandshakeRequest("/ocpp/CP-1", basicAuth("CP-1", "wrong"), List.of("ocpp1.6")))))
                .isEqualTo(401);
        assertThat(status(basic().decide(new HandshakeRequest(
                        "/ocpp/CP-1", basicAuth("CP 2", "s3cret-pass-0001"), List.of("ocpp1.6")))))
                .as("username must equal the identity")
                .isEqualTo(401);
        assertThat(status(basic().decide(new HandshakeRequest("/ocpp/CP-1", null, List.of("ocpp1.6")))))
                .isEqualTo(401);
        assertThat(status(basic().decide(new HandshakeRequest("/ocpp/CP-1", "Basic !!!", List.of("ocpp1.6")))))
                .isEqualTo(401);
        assertThat(basic().decide(new HandshakeRequest(
                        "/ocpp/CP-1", basicAuth("CP-1", "s3cret-pass-0001"), List.of("ocpp1.6"))))
                .isInstanceOf(HandshakeDecision.Accept.class);
    }

    @Test
    void shouldMakeAnIdentityWaitAfterEachWrongPasswordLongerEachTimeAndClearItOnSuccess() {
        HandshakeGate gate = basic();
        HandshakeRequest wrong = new HandshakeRequest("/ocpp/CP-1", basicAuth("CP-1", "wrong"), List.of("ocpp1.6"));
        HandshakeRequest right =
                new HandshakeRequest("/ocpp/CP-1", basicAuth("CP-1", "s3cret-pass-0001"), List.of("ocpp1.6"));

        assertThat(status(gate.decide(wrong))).isEqualTo(401);
        assertThat(gate.decide(right))
                .as("even the right password waits out the second")
                .isInstanceOfSatisfying(HandshakeDecision.Reject.class, r -> {
                    assertThat(r.status()).isEqualTo(429);
                    assertThat(r.retryAfterSeconds()).contains(1L);
                });
        assertThat(gate.decide(
                        new HandshakeRequest("/ocpp/CP 2", basicAuth("CP 2", "s3cret-pass-0001"), List.of("ocpp1.6"))))
                .as("other identities do not wait")
                .isInstanceOf(HandshakeDecision.Accept.class);
        for (long expectedWait : new long[] {2, 4, 8, 16, 32, 60, 60}) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(60));
            assertThat(status(gate.decide(wrong))).isEqualTo(401);
            assertThat(((HandshakeDecision.Reject) gate.decide(wrong)).retryAfterSeconds())
                    .contains(expectedWait);
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(gate.decide(right)).isInstanceOf(HandshakeDecision.Accept.class);
        assertThat(status(gate.decide(wrong)))
                .as("a success starts the count again")
                .isEqualTo(401);
        assertThat(((HandshakeDecision.Reject) gate.decide(wrong)).retryAfterSeconds())
                .contains(1L);
    }

    @Test
    void shouldRefuseChecksOverThePodsFailureBudgetButLetRememberedAndRightPasswordsThrough() {
        HandshakeGate gate =
                gate(SecurityProfile.BASIC, true, 100, new TokenBucket(1000, 1000, 0), new FailedLogins(3, 0));
        HandshakeRequest rememberedLater =
                new HandshakeRequest("/ocpp/CP-1", basicAuth("CP-1", "s3cret-pass-0001"), List.of("ocpp1.6"));
        assertThat(gate.decide(rememberedLater)).isInstanceOf(HandshakeDecision.Accept.class);
        for (int i = 0; i < 10; i++) {
            assertThat(gate.decide(new HandshakeRequest(
                            "/ocpp/CP-10" + i, basicAuth("CP-10" + i, "s3cret-pass-0001"), List.of("ocpp1.6"))))
                    .as("right passwords spend nothing")
                    .isInstanceOf(HandshakeDecision.Accept.class);
        }

        for (int i = 0; i < 3; i++) {
            assertThat(status(gate.decide(new HandshakeRequest(
                            "/ocpp/CP-11" + i, basicAuth("CP-11" + i, "guess"), List.of("ocpp1.6")))))
                    .isEqualTo(401);
        }
        assertThat(gate.decide(new HandshakeRequest(
                        "/ocpp/CP-120", basicAuth("CP-120", "s3cret-pass-0001"), List.of("ocpp1.6"))))
                .as("budget spent: no check, whatever the password")
                .isInstanceOfSatisfying(HandshakeDecision.Reject.class, r -> {
                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.retryAfterSeconds()).contains(1L);
                });
        assertThat(gate.decide(rememberedLater))
                .as("a remembered success needs no check")
                .isInstanceOf(HandshakeDecision.Accept.class);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(gate.decide(new HandshakeRequest(
                        "/ocpp/CP-120", basicAuth("CP-120", "s3cret-pass-0001"), List.of("ocpp1.6"))))
                .isInstanceOf(HandshakeDecision.Accept.class);
    }

    @Test
    void shouldAcceptWithoutVersionWhenNoSubprotocolMatches() {
        assertThat(open().decide(new HandshakeRequest("/ocpp/CP-1", null, List.of("ocpp1.5"))))
                .isEqualTo(new HandshakeDecision.Accept("CP-1", Optional.empty()));
    }

    @Test
    void shouldRefuseWith503AndRetryAfterWhenNotReadyAtTheCapOrOverTheRate() {
        notReady.set(Optional.of("DRAINING"));
        assertThat(open().decide(request())).isInstanceOfSatisfying(HandshakeDecision.Reject.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.retryAfterSeconds()).isPresent();
        });
        notReady.set(Optional.empty());

        open.set(2);
        assertThat(status(gate(SecurityProfile.NONE, false, 2, new TokenBucket(1000, 1000, 0))
                        .decide(request())))
                .isEqualTo(503);
        open.set(0);

        HandshakeGate limited = gate(SecurityProfile.NONE, false, 100, new TokenBucket(2, 2, 0));
        assertThat(limited.decide(request())).isInstanceOf(HandshakeDecision.Accept.class);
        assertThat(limited.decide(request())).isInstanceOf(HandshakeDecision.Accept.class);
        assertThat(limited.decide(request())).isInstanceOfSatisfying(HandshakeDecision.Reject.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.retryAfterSeconds()).contains(1L);
        });
        now.set(1_000_000_000L); // a second later, two tokens are back
        assertThat(limited.decide(request())).isInstanceOf(HandshakeDecision.Accept.class);
    }

    @Test
    void shouldRequireAClientCertificateForTheIdentityAndOrganizationInProfile3() {
        HandshakeGate gate = gate(SecurityProfile.CLIENT_CERT, false, 100, new TokenBucket(1000, 1000, 0));
        java.util.function.Function<String, HandshakeDecision> withSubject = subject -> gate.decide(
                new HandshakeRequest("/ocpp/CP-1", null, List.of("ocpp2.0.1"), ClientCertificate.fromSubject(subject)));

        assertThat(withSubject.apply("CN=CP-1,O=Acme")).isInstanceOf(HandshakeDecision.Accept.class);
        assertThat(status(withSubject.apply("CN=CP-2,O=Acme"))).isEqualTo(401);
        assertThat(status(withSubject.apply("CN=CP-1,O=Evil"))).isEqualTo(401);
        assertThat(status(withSubject.apply("CN=CP-1"))).isEqualTo(401);
        assertThat(status(withSubject.apply(null))).isEqualTo(401);
        assertThat(status(withSubject.apply("not a dn"))).isEqualTo(401);
    }

    private static HandshakeRequest request() {
        return new HandshakeRequest("/ocpp/CP-1", null, List.of("ocpp1.6"));
    }

    private static int status(HandshakeDecision d) {
        return ((HandshakeDecision.Reject) d).status();
    }

    static String basicAuth(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
