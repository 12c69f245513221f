package io.ocppgw.edge.handshake;

import io.ocppgw.protocol.OcppVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ordered gate in front of the WebSocket upgrade: identity from the path (400),
 * registry of known identities (404), authentication for the security profile (401, no detail),
 * subprotocol in the server's preference order, then admission: not ready, connection cap, upgrade
 * rate (503, with Retry-After). Holds no sockets; password checks cost milliseconds, so run it on a
 * worker thread. Wrong passwords are throttled per identity (429) and per pod (503) by {@link FailedLogins}.
 */
public final class HandshakeGate {

    /** Successful verifications remembered, so a reconnect storm does not redo PBKDF2 for every socket. */
    private static final int VERIFIED_CACHE_SIZE = 50_000;

    private final String pathPrefix;
    private final SecurityProfile profile;
    private final Optional<String> requiredOrganization;
    private final Optional<CredentialStore> credentials;
    private final boolean requireKnownIdentity;
    private final Collection<OcppVersion> enabledVersions;
    private final Supplier<Optional<String>> notReadyReason;
    private final IntSupplier openConnections;
    private final int maxConnections;
    private final TokenBucket upgrades;
    private final FailedLogins failedLogins;
    private final LongSupplier nanoTime;
    private final Map<String, byte[]> verified = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > VERIFIED_CACHE_SIZE;
        }
    };

    public HandshakeGate(
            String pathPrefix,
            SecurityProfile profile,
            Optional<String> requiredOrganization,
            Optional<CredentialStore> credentials,
            boolean requireKnownIdentity,
            Collection<OcppVersion> enabledVersions,
            Supplier<Optional<String>> notReadyReason,
            IntSupplier openConnections,
            int maxConnections,
            TokenBucket upgrades,
            FailedLogins failedLogins,
            LongSupplier nanoTime) {
        if (profile.usesBasicAuth() && credentials.isEmpty()) {
            throw new IllegalArgumentException("security profile " + profile.number() + " needs a credential store");
        }
        this.pathPrefix = pathPrefix;
        this.profile = profile;
        this.requiredOrganization = requiredOrganization;
        this.credentials = credentials;
        this.requireKnownIdentity = requireKnownIdentity;
        this.enabledVersions = enabledVersions;
        this.notReadyReason = notReadyReason;
        this.openConnections = openConnections;
        this.maxConnections = maxConnections;
        this.upgrades = upgrades;
        this.failedLogins = failedLogins;
        this.nanoTime = nanoTime;
    }

    public HandshakeDecision decide(HandshakeRequest request) {
        Optional<String> identity = ChargePointPath.identity(pathPrefix, request.path());
        if (identity.isEmpty()) {
            return HandshakeDecision.Reject.of(400, "malformed charge point identity in path");
        }
        String id = identity.get();
        if (requireKnownIdentity && credentials.map(c -> !c.isKnown(id)).orElse(false)) {
            return HandshakeDecision.Reject.of(404, "unknown charge point identity");
        }
        if (profile.usesBasicAuth()) {
            Optional<HandshakeDecision.Reject> refused = authenticate(id, request.authorization());
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        if (profile == SecurityProfile.CLIENT_CERT && !certified(id, request.clientCertificate())) {
            return HandshakeDecision.Reject.of(401, "client certificate missing or not for this identity");
        }
        Optional<OcppVersion> version = OcppVersion.negotiate(request.offeredSubprotocols(), enabledVersions);
        if (version.isEmpty()) {
            return new HandshakeDecision.Accept(id, Optional.empty());
        }
        Optional<String> notReady = notReadyReason.get();
        if (notReady.isPresent()) {
            return new HandshakeDecision.Reject(503, "not ready: " + notReady.get(), Optional.of(5L));
        }
        if (openConnections.getAsInt() >= maxConnections) {
            return new HandshakeDecision.Reject(503, "connection cap " + maxConnections + " reached", Optional.of(30L));
        }
        if (!upgrades.tryTake(nanoTime.getAsLong())) {
            return new HandshakeDecision.Reject(503, "upgrade rate limit", Optional.of(upgrades.secondsUntilNext()));
        }
        return new HandshakeDecision.Accept(id, version);
    }

    /** Profile 3: the certificate's CN is the identity, and its O the configured one if any. */
    private boolean certified(String identity, Optional<ClientCertificate> certificate) {
        return certificate
                .filter(c -> c.commonName().filter(identity::equals).isPresent())
                .filter(c -> requiredOrganization.isEmpty() || c.organization().equals(requiredOrganization))
                .isPresent();
    }

    /** Empty when the Basic credentials are right for {@code identity}; else the refusal (401, or a throttle's 429/503). */
    private Optional<HandshakeDecision.Reject> authenticate(String identity, String authorization) {
        HandshakeDecision.Reject failed = HandshakeDecision.Reject.of(401, "authentication failed");
        Optional<BasicCredentials> basic = BasicCredentials.parse(authorization);
        if (basic.isEmpty() || !basic.get().username().equals(identity)) {
            return Optional.of(failed);
        }
        Optional<PasswordHash> hash = credentials.flatMap(c -> c.hashFor(identity));
        if (hash.isEmpty()) {
            return Optional.of(failed);
        }
        byte[] fingerprint = fingerprint(identity, basic.get().password(), hash.get());
        synchronized (verified) {
            byte[] known = verified.get(identity);
            if (known != null && MessageDigest.isEqual(known, fingerprint)) {
                return Optional.empty();
            }
        }
        Optional<HandshakeDecision.Reject> throttled = failedLogins.beforeCheck(identity, nanoTime.getAsLong());
        if (throttled.isPresent()) {
            return throttled;
        }
        boolean passed = hash.get().matches(basic.get().password());
        failedLogins.checked(identity, passed, nanoTime.getAsLong());
        if (!passed) {
            return Optional.of(failed);
        }
        synchronized (verified) {
            verified.put(identity, fingerprint);
        }
        return Optional.empty();
    }

    /** Binds identity, password and the stored hash: a changed password or hash never matches an old entry. */
    private static byte[] fingerprint(String identity, byte[] password, PasswordHash stored) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(identity.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password);
            sha.update((byte) 0);
            sha.update(stored.encoded().getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
