package io.ocppgw.launcher;

import io.ocppgw.edge.EdgeApp;
import io.ocppgw.edge.EdgeConfig;
import io.ocppgw.support.KafkaWait;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ocppgw edge}: one edge pod. Each option is the variable {@code OCPPGW_<OPTION>}; values are
 * validated once, by {@link EdgeConfig#fromEnv}, so the command line and the environment obey the
 * same rules and messages. SIGTERM drains.
 */
@Command(
        name = "edge",
        mixinStandardHelpOptions = true,
        description =
                "Run an edge gateway pod: OCPP-J WebSockets in, every frame journaled to Kafka before it is answered.")
final class EdgeCommand implements Callable<Integer> {

    @Option(
            names = EnvDefaults.BOOTSTRAP_OPTION,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env: OCPPGW_BOOTSTRAP_SERVER or KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServer;

    @Option(
            names = "--pod-id",
            description =
                    "Pod name; a StatefulSet ordinal (edge-gateway-7) picks the commands-down partition. Default: hostname.")
    String podId;

    @Option(names = "--host", description = "Address to bind. Default: 0.0.0.0.")
    String host;

    @Option(names = "--port", description = "WebSocket port. Default: 8080.")
    String port;

    @Option(names = "--admin-port", description = "Health and metrics port. Default: 9080.")
    String adminPort;

    @Option(names = "--path-prefix", description = "Charge points connect to <prefix>/<identity>. Default: /ocpp.")
    String pathPrefix;

    @Option(
            names = "--security-profile",
            description =
                    "0 none (dev only), 1 Basic auth, 2 Basic auth over TLS, 3 TLS client certificate. Default: 0.")
    String securityProfile;

    @Option(
            names = "--tls-keystore",
            description = "PKCS12 key store with the server's RSA and/or ECDSA key (profiles 2, 3).")
    String tlsKeystore;

    @Option(
            names = "--tls-keystore-password",
            description = "Its password (prefer the variable OCPPGW_TLS_KEYSTORE_PASSWORD).")
    String tlsKeystorePassword;

    @Option(
            names = "--tls-truststore",
            description = "PKCS12 trust store of the CAs that sign charge point certificates (profile 3).")
    String tlsTruststore;

    @Option(
            names = "--tls-truststore-password",
            description = "Its password (prefer the variable OCPPGW_TLS_TRUSTSTORE_PASSWORD).")
    String tlsTruststorePassword;

    @Option(names = "--client-cert-organization", description = "Profile 3: the certificate's O must be this.")
    String clientCertOrganization;

    @Option(
            names = "--client-cert-header",
            description =
                    "Profile 3 behind a TLS-offloading proxy: the header carrying the verified client certificate's subject DN.")
    String clientCertHeader;

    @Option(
            names = "--credentials-file",
            description = "Lines '<identity> pbkdf2-sha256$…'; re-read when it changes. Required for profile 1.")
    String credentialsFile;

    @Option(
            names = "--require-known-identity",
            description = "Refuse identities not in the credentials file (404). Default: true when a file is set.")
    String requireKnownIdentity;

    @Option(names = "--ocpp-versions", description = "Enabled subprotocols. Default: ocpp2.1,ocpp2.0.1,ocpp1.6.")
    String ocppVersions;

    @Option(names = "--max-frame-bytes", description = "Largest text frame; larger closes 1009. Default: 1048576.")
    String maxFrameBytes;

    @Option(
            names = "--ping-interval",
            description = "Server ping interval (ISO-8601); no pong within it closes. Default: PT30S.")
    String pingInterval;

    @Option(
            names = "--answer-budget",
            description = "Longest wait for Kafka or a backend before closing instead of answering. Default: PT25S.")
    String answerBudget;

    @Option(names = "--validation", description = "strict, warn or off. Default: strict.")
    String validation;

    @Option(names = "--validation-overrides", description = "Per action, e.g. MeterValues=warn,DataTransfer=off.")
    String validationOverrides;

    @Option(
            names = "--responders",
            description = "Per action ack|backend|sequence, e.g. Authorize=ack,StartTransaction=sequence.")
    String responders;

    @Option(names = "--backend-fallbacks", description = "Per action close|answer when no backend replies in time.")
    String backendFallbacks;

    @Option(names = "--boot-status", description = "BootNotification status the gateway answers. Default: Accepted.")
    String bootStatus;

    @Option(names = "--heartbeat-interval", description = "Interval given in BootNotification answers. Default: PT5M.")
    String heartbeatInterval;

    @Option(names = "--upgrades-per-second", description = "Token-bucket rate of accepted upgrades. Default: 500.")
    String upgradesPerSecond;

    @Option(names = "--upgrade-burst", description = "Token-bucket burst. Default: 1000.")
    String upgradeBurst;

    @Option(names = "--max-connections", description = "Connection cap of this pod. Default: 18000.")
    String maxConnections;

    @Option(
            names = "--max-queued-calls",
            description = "CALLs a charge point may send ahead of answers before it is closed (1008). Default: 4.")
    String maxQueuedCalls;

    @Option(
            names = "--max-queued-commands",
            description = "Commands waiting per charge point; beyond it they are REJECTED (QUEUE_FULL). Default: 1000.")
    String maxQueuedCommands;

    @Option(
            names = "--command-timeout",
            description =
                    "How long a command waits for the charge point's answer unless the command says. Default: PT30S.")
    String commandTimeout;

    @Option(
            names = "--max-pending-persists",
            description = "Kafka writes in flight before the pod stops reading sockets. Default: 10000.")
    String maxPendingPersists;

    @Option(names = "--drain-window", description = "Sockets are closed spread over this on shutdown. Default: PT30S.")
    String drainWindow;

    @Option(names = "--lease-interval", description = "Lease renewal interval. Default: PT5S.")
    String leaseInterval;

    @Option(names = "--lease-ttl", description = "Lease expiry. Default: PT15S.")
    String leaseTtl;

    @Option(names = "--topic-prefix", description = "Prefix of every topic name.")
    String topicPrefix;

    @Option(
            names = "--failed-logins-per-second",
            description =
                    "Wrong passwords checked per second over all identities; beyond it password checks wait (503). Default: 20.")
    String failedLoginsPerSecond;

    @Option(names = "--max-request-uri-bytes", description = "Longer upgrade request targets get 414. Default: 2048.")
    String maxRequestUriBytes;

    @Option(names = "--max-request-headers", description = "More upgrade request header fields get 431. Default: 64.")
    String maxRequestHeaders;

    @Option(
            names = "--max-request-header-bytes",
            description = "More bytes of upgrade request headers get 431. Default: 8192.")
    String maxRequestHeaderBytes;

    @Option(
            names = "--request-timeout",
            description = "The whole upgrade request must arrive within this (ISO-8601). Default: PT10S.")
    String requestTimeout;

    @Option(
            names = "--tls-cipher-suites",
            description =
                    "Profiles 2 and 3: exactly the TLS cipher suites offered, comma-separated. Default: see the README.")
    String tlsCipherSuites;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        EdgeConfig config = EdgeConfig.fromEnv(EnvDefaults.variables(spec));
        KafkaWait.untilReady("edge", config.kafka(), config.topics().all(), config.host(), config.adminPort());
        EdgeApp edge = EdgeApp.start(config, Clock.systemUTC());
        return Serving.untilStopped(edge, "edge", edge.failure());
    }
}
