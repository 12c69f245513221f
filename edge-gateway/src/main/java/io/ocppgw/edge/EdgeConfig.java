package io.ocppgw.edge;

import io.ocppgw.edge.handshake.RequestLimits;
import io.ocppgw.edge.handshake.SecurityProfile;
import io.ocppgw.edge.session.SessionLimits;
import io.ocppgw.edge.upstream.CallPolicies;
import io.ocppgw.edge.upstream.FallbackPolicy;
import io.ocppgw.edge.upstream.ResponderPolicy;
import io.ocppgw.edge.upstream.ValidationPolicy;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.support.Env;
import io.ocppgw.support.KafkaClientSettings;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.commands.CommandTiming;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an edge pod is configured with, parsed once from {@code OCPPGW_*} variables (the
 * {@code ocppgw edge} options map onto the same names) and validated: every problem names the
 * variable, the value and the rule.
 */
public record EdgeConfig(
        String podId,
        Map<String, Object> kafka,
        TopicNames topics,
        String host,
        int port,
        int adminPort,
        String pathPrefix,
        SecurityProfile securityProfile,
        Optional<Tls> tls,
        Optional<String> clientCertOrganization,
        Optional<String> clientCertHeader,
        Optional<Path> credentialsFile,
        boolean requireKnownIdentity,
        List<OcppVersion> versions,
        Duration pingInterval,
        Duration answerBudget,
        CallPolicies calls,
        String bootStatus,
        Duration heartbeatInterval,
        RequestLimits requestLimits,
        int upgradesPerSecond,
        int upgradeBurst,
        int failedLoginsPerSecond,
        int maxConnections,
        SessionLimits sessionLimits,
        Duration commandTimeout,
        int maxPendingPersists,
        Duration drainWindow,
        Duration leaseInterval,
        Duration leaseTtl) {

    public EdgeConfig {
        kafka = Map.copyOf(kafka);
        versions = List.copyOf(versions);
    }

    public static EdgeConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        String podId = env.string("OCPPGW_POD_ID", hostname());
        String bootstrap = env.raw("OCPPGW_BOOTSTRAP_SERVER")
                .or(() -> env.raw("KAFKA_BOOTSTRAP_SERVERS"))
                .orElse("");
        if (bootstrap.isEmpty()) {
            env.problem("OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS) is not set: it is required");
        }
        Map<String, Object> kafka = new HashMap<>(KafkaClientSettings.fromEnv(vars));
        kafka.put("bootstrap.servers", bootstrap);
        TopicNames topics = topicNames(env);
        int profileNumber = env.integer("OCPPGW_SECURITY_PROFILE", 0, 0, 3);
        SecurityProfile profile = SecurityProfile.of(profileNumber);
        Optional<String> certHeader = env.raw("OCPPGW_CLIENT_CERT_HEADER");
        Optional<Tls> tls = tls(env, profile, certHeader);
        Optional<Path> credentials = env.raw("OCPPGW_CREDENTIALS_FILE").map(Path::of);
        credentials
                .filter(p -> !Files.isReadable(p))
                .ifPresent(p -> env.problem("OCPPGW_CREDENTIALS_FILE='" + p + "': must be a readable file"));
        if (profile.usesBasicAuth() && credentials.isEmpty()) {
            env.problem("OCPPGW_CREDENTIALS_FILE is not set: security profile " + profileNumber + " needs it");
        }
        boolean requireKnown = env.bool("OCPPGW_REQUIRE_KNOWN_IDENTITY", credentials.isPresent());
        if (requireKnown && credentials.isEmpty()) {
            env.problem(
                    "OCPPGW_REQUIRE_KNOWN_IDENTITY='true': needs OCPPGW_CREDENTIALS_FILE, the registry of known identities");
        }
        String prefix = env.string("OCPPGW_PATH_PREFIX", "/ocpp");
        if (!prefix.startsWith("/") || prefix.contains(" ")) {
            env.problem("OCPPGW_PATH_PREFIX='" + prefix + "': must start with '/' and contain no spaces");
        }
        EdgeConfig config = new EdgeConfig(
                podId,
                kafka,
                topics,
                env.string("OCPPGW_HOST", "0.0.0.0"),
                env.port("OCPPGW_PORT", 8080),
                env.port("OCPPGW_ADMIN_PORT", 9080),
                prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix,
                profile,
                tls,
                env.raw("OCPPGW_CLIENT_CERT_ORGANIZATION"),
                certHeader,
                credentials,
                requireKnown,
                versions(env),
                env.duration(
                        "OCPPGW_PING_INTERVAL", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1)),
                env.duration(
                        "OCPPGW_ANSWER_BUDGET",
                        CommandTiming.ANSWER_BUDGET,
                        Duration.ofMillis(100),
                        Duration.ofMinutes(5)),
                new CallPolicies(
                        env.choice("OCPPGW_VALIDATION", ValidationPolicy.class, ValidationPolicy.STRICT),
                        perAction(env, "OCPPGW_VALIDATION_OVERRIDES", ValidationPolicy.class),
                        perAction(env, "OCPPGW_RESPONDERS", ResponderPolicy.class),
                        perAction(env, "OCPPGW_BACKEND_FALLBACKS", FallbackPolicy.class)),
                env.string("OCPPGW_BOOT_STATUS", "Accepted"),
                env.duration(
                        "OCPPGW_HEARTBEAT_INTERVAL", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1)),
                new RequestLimits(
                        env.integer("OCPPGW_MAX_REQUEST_URI_BYTES", RequestLimits.DEFAULTS.maxUriBytes(), 256, 65_536),
                        env.integer("OCPPGW_MAX_REQUEST_HEADERS", RequestLimits.DEFAULTS.maxHeaders(), 8, 1000),
                        env.integer(
                                "OCPPGW_MAX_REQUEST_HEADER_BYTES",
                                RequestLimits.DEFAULTS.maxHeaderBytes(),
                                1024,
                                1 << 20),
                        env.duration(
                                "OCPPGW_REQUEST_TIMEOUT",
                                RequestLimits.DEFAULTS.timeout(),
                                Duration.ofSeconds(1),
                                Duration.ofMinutes(5))),
                env.integer("OCPPGW_UPGRADES_PER_SECOND", 500, 1, 1_000_000),
                env.integer("OCPPGW_UPGRADE_BURST", 1000, 1, 1_000_000),
                env.integer("OCPPGW_FAILED_LOGINS_PER_SECOND", 20, 1, 1_000_000),
                env.integer("OCPPGW_MAX_CONNECTIONS", 18_000, 1, 1_000_000),
                new SessionLimits(
                        env.integer("OCPPGW_MAX_QUEUED_CALLS", 4, 0, 100),
                        env.integer("OCPPGW_MAX_QUEUED_COMMANDS", 1000, 1, 1_000_000),
                        env.integer("OCPPGW_MAX_FRAME_BYTES", 1 << 20, 1024, 64 << 20)),
                env.duration(
                        "OCPPGW_COMMAND_TIMEOUT",
                        CommandTiming.RESPONSE_TIMEOUT,
                        Duration.ofSeconds(1),
                        Duration.ofHours(1)),
                env.integer("OCPPGW_MAX_PENDING_PERSISTS", 10_000, 1, 1_000_000),
                env.duration("OCPPGW_DRAIN_WINDOW", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1)),
                env.duration(
                        "OCPPGW_LEASE_INTERVAL", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)),
                env.duration(
                        "OCPPGW_LEASE_TTL", Duration.ofSeconds(15), Duration.ofMillis(300), Duration.ofMinutes(15)));
        if (config.leaseTtl().compareTo(config.leaseInterval().multipliedBy(2)) < 0) {
            env.problem("OCPPGW_LEASE_TTL='" + config.leaseTtl() + "': must be at least twice OCPPGW_LEASE_INTERVAL ("
                    + config.leaseInterval() + ") so one late renewal does not expire the pod");
        }
        config.calls().responders().forEach((action, policy) -> {
            if (policy == ResponderPolicy.SEQUENCE && !"StartTransaction".equals(action)) {
                env.problem("OCPPGW_RESPONDERS: '" + action + "=sequence': sequence answers only 1.6 StartTransaction");
            }
        });
        env.validate();
        return config;
    }

    /**
     * {@code OCPPGW_TLS_CIPHER_SUITES}: a comma-separated list of suites this JDK supports; by default
     * {@link Tls#DEFAULT_SUITES}. Made offerable here, before anything opens the key store ({@link Tls#enable}).
     */
    private static List<String> cipherSuites(Env env) {
        Optional<String> raw = env.raw("OCPPGW_TLS_CIPHER_SUITES");
        List<String> suites = raw.map(r -> Arrays.stream(r.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(Tls.DEFAULT_SUITES);
        List<String> unknown = Tls.enable(suites);
        if (raw.isPresent() && (suites.isEmpty() || !unknown.isEmpty())) {
            env.problem("OCPPGW_TLS_CIPHER_SUITES='" + raw.get()
                    + "': must list cipher suites this JDK supports, by their standard names"
                    + (unknown.isEmpty() ? " (none given)" : " (not known: " + String.join(", ", unknown) + ")"));
            return Tls.DEFAULT_SUITES;
        }
        return suites;
    }

    /**
     * Profiles 2 and 3 terminate TLS here (key store; profile 3 also a trust store of charge point CAs),
     * except profile 3 behind a TLS-offloading proxy that passes the client certificate's subject in
     * {@code OCPPGW_CLIENT_CERT_HEADER}. The stores are opened now, so a wrong path or password fails at start.
     */
    private static Optional<Tls> tls(Env env, SecurityProfile profile, Optional<String> certHeader) {
        Optional<Path> keyStore = env.raw("OCPPGW_TLS_KEYSTORE").map(Path::of);
        Optional<Path> trustStore = env.raw("OCPPGW_TLS_TRUSTSTORE").map(Path::of);
        boolean proxied = profile == SecurityProfile.CLIENT_CERT && certHeader.isPresent() && keyStore.isEmpty();
        if (certHeader.isPresent() && profile != SecurityProfile.CLIENT_CERT) {
            env.problem(
                    "OCPPGW_CLIENT_CERT_HEADER='" + certHeader.get() + "': only used with OCPPGW_SECURITY_PROFILE=3");
        }
        if (!profile.usesTls() || proxied) {
            keyStore.ifPresent(
                    k -> env.problem("OCPPGW_TLS_KEYSTORE='" + k + "': only used with OCPPGW_SECURITY_PROFILE 2 or 3"));
            env.raw("OCPPGW_TLS_CIPHER_SUITES")
                    .ifPresent(s -> env.problem("OCPPGW_TLS_CIPHER_SUITES='" + s
                            + "': only used with OCPPGW_SECURITY_PROFILE 2 or 3 and a key store"));
            return Optional.empty();
        }
        if (keyStore.isEmpty()) {
            env.problem(
                    "OCPPGW_TLS_KEYSTORE is not set: security profile " + profile.number() + " needs a PKCS12 key store"
                            + (profile == SecurityProfile.CLIENT_CERT
                                    ? " (or OCPPGW_CLIENT_CERT_HEADER behind a TLS-offloading proxy)"
                                    : ""));
            return Optional.empty();
        }
        if (profile == SecurityProfile.CLIENT_CERT && trustStore.isEmpty()) {
            env.problem(
                    "OCPPGW_TLS_TRUSTSTORE is not set: security profile 3 needs the CAs that sign charge point certificates");
            return Optional.empty();
        }
        List<String> suites = cipherSuites(env);
        Tls tls = new Tls(
                keyStore.get(),
                env.string("OCPPGW_TLS_KEYSTORE_PASSWORD", ""),
                trustStore,
                env.string("OCPPGW_TLS_TRUSTSTORE_PASSWORD", ""),
                suites);
        try {
            tls.serverContext();
        } catch (IllegalArgumentException e) {
            env.problem("OCPPGW_TLS_KEYSTORE='" + keyStore.get() + "'"
                    + trustStore.map(t -> ", OCPPGW_TLS_TRUSTSTORE='" + t + "'").orElse("")
                    + ": must open as PKCS12 with the given passwords (" + e.getMessage() + ")");
            return Optional.empty();
        }
        return Optional.of(tls);
    }

    private static TopicNames topicNames(Env env) {
        return env.parsed("OCPPGW_TOPIC_PREFIX", "", TopicNames::new, TopicNames.unprefixed());
    }

    private static List<OcppVersion> versions(Env env) {
        String raw = env.string("OCPPGW_OCPP_VERSIONS", "ocpp2.1,ocpp2.0.1,ocpp1.6");
        List<OcppVersion> versions = new ArrayList<>();
        for (String token : raw.split(",")) {
            Optional<OcppVersion> v = OcppVersion.fromToken(token.trim());
            if (v.isEmpty()) {
                env.problem("OCPPGW_OCPP_VERSIONS='" + raw + "': '" + token.trim()
                        + "' is not one of ocpp1.6, ocpp2.0.1, ocpp2.1");
            } else {
                versions.add(v.get());
            }
        }
        return versions;
    }

    /** {@code Action=value,Action=value}, values named like the enum's constants (case-insensitive). */
    static <E extends Enum<E>> Map<String, E> perAction(Env env, String name, Class<E> type) {
        Map<String, E> m = new HashMap<>();
        String raw = env.string(name, "");
        if (raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            E value = null;
            if (kv.length == 2 && !kv[0].isBlank()) {
                for (E e : type.getEnumConstants()) {
                    if (e.name().equalsIgnoreCase(kv[1].trim())) {
                        value = e;
                    }
                }
            }
            if (value == null) {
                StringBuilder allowed = new StringBuilder();
                for (E e : type.getEnumConstants()) {
                    allowed.append(allowed.length() == 0 ? "" : "|")
                            .append(e.name().toLowerCase(Locale.ROOT));
                }
                env.problem(name + "='" + raw + "': '" + pair.trim() + "' must be Action=" + allowed);
            } else {
                m.put(kv[0].trim(), value);
            }
        }
        return m;
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "edge-gateway";
        }
    }
}
