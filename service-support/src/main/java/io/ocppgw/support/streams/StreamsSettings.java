package io.ocppgw.support.streams;

import io.ocppgw.support.Env;
import io.ocppgw.support.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What both streams apps configure the same way: Kafka client settings, identity, admin port, state
 * and processing guarantee. Each app's config record holds one of these next to its own rules.
 *
 * @param commitInterval how often an instance commits while it is caught up with its input (see {@link CommitPacing})
 * @param backlogCommitInterval under exactly_once_v2, how long a transaction may grow while the instance is behind
 *                              (Kafka Streams' {@code commit.interval.ms}); under at_least_once the same as {@code commitInterval}
 * @param streamThreads stream threads of the process: its tasks (one per input partition) are spread over them
 * @param maxTaskIdle how long a task idles on an input that is caught up but empty, in case a producer is
 *                    about to write to it (0: it still waits for inputs with records on the broker
 *                    not fetched yet, never for empty ones)
 * @param deadLetterTopic where records the app cannot use are copied ({@link BadRecords})
 * @param maxThreadReplacements how many times a stream thread that failed on a record is replaced before
 *                              the app gives up and exits (a fault that repeats on every try is not transient)
 */
public record StreamsSettings(
        Map<String, Object> kafka,
        String applicationId,
        String host,
        int adminPort,
        String advertisedHost,
        Path stateDir,
        Optional<String> instanceId,
        String processingGuarantee,
        Duration commitInterval,
        Duration backlogCommitInterval,
        int standbyReplicas,
        Duration maxTaskIdle,
        long rocksDbBytes,
        int streamThreads,
        String deadLetterTopic,
        int maxThreadReplacements) {

    public StreamsSettings {
        kafka = Map.copyOf(kafka);
    }

    /**
     * Reads the shared variables into {@code env}'s problem list (the caller validates once).
     *
     * @param app              short app name: {@code route} gives application id {@code <prefix>ocppgw-route}
     * @param deadLetterTopic  the (prefixed) name of {@code dead-letters}
     * @param defaultAdminPort the app's usual admin port
     */
    public static StreamsSettings fromEnv(
            Env env,
            Map<String, String> vars,
            String app,
            String topicPrefix,
            String deadLetterTopic,
            int defaultAdminPort) {
        String bootstrap = env.raw("OCPPGW_BOOTSTRAP_SERVER")
                .or(() -> env.raw("KAFKA_BOOTSTRAP_SERVERS"))
                .orElse("");
        if (bootstrap.isEmpty()) {
            env.problem("OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS) is not set: it is required");
        }
        Map<String, Object> kafka = new HashMap<>(KafkaClientSettings.fromEnv(vars));
        kafka.put("bootstrap.servers", bootstrap);
        Object protocol = kafka.get(StreamsConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol != null
                && protocol.toString().equalsIgnoreCase("streams")
                && env.raw("OCPPGW_INSTANCE_ID").isPresent()) {
            // Kafka Streams 4.3 refuses the two together; said here at start, in the gateway's own terms
            env.problem("KAFKA_GROUP_PROTOCOL='" + protocol
                    + "': the streams rebalance protocol cannot be used with static membership "
                    + "(OCPPGW_INSTANCE_ID) in this Kafka version; leave KAFKA_GROUP_PROTOCOL unset (classic)");
        }
        String guarantee =
                env.string("OCPPGW_PROCESSING_GUARANTEE", "exactly_once_v2").toLowerCase(Locale.ROOT);
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            env.problem("OCPPGW_PROCESSING_GUARANTEE='" + guarantee + "': must be exactly_once_v2 or at_least_once");
        }
        Duration commitInterval = env.duration(
                "OCPPGW_COMMIT_INTERVAL",
                defaultCommitInterval(guarantee),
                Duration.ofMillis(10),
                Duration.ofMinutes(1));
        Duration backlogCommitInterval = guarantee.equals("at_least_once")
                ? commitInterval
                : env.duration(
                        "OCPPGW_BACKLOG_COMMIT_INTERVAL",
                        max(BACKLOG_COMMIT_INTERVAL, commitInterval),
                        Duration.ofMillis(10),
                        Duration.ofMinutes(1));
        if (backlogCommitInterval.compareTo(commitInterval) < 0) {
            env.problem("OCPPGW_BACKLOG_COMMIT_INTERVAL='" + backlogCommitInterval
                    + "': must not be shorter than OCPPGW_COMMIT_INTERVAL (" + commitInterval + ")");
        }
        return new StreamsSettings(
                kafka,
                env.string("OCPPGW_APPLICATION_ID", topicPrefix + "ocppgw-" + app),
                env.string("OCPPGW_HOST", "0.0.0.0"),
                env.port("OCPPGW_ADMIN_PORT", defaultAdminPort),
                env.string("OCPPGW_ADVERTISED_HOST", "127.0.0.1"),
                Path.of(env.string("OCPPGW_STATE_DIR", System.getProperty("java.io.tmpdir") + "/ocppgw-" + app)),
                env.raw("OCPPGW_INSTANCE_ID"),
                guarantee,
                commitInterval,
                backlogCommitInterval,
                env.integer("OCPPGW_STANDBY_REPLICAS", 0, 0, 5),
                env.duration("OCPPGW_MAX_TASK_IDLE", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)),
                (long) env.integer("OCPPGW_ROCKSDB_MEMORY_MB", 64, 8, 64 * 1024) << 20,
                env.integer("OCPPGW_STREAM_THREADS", 1, 1, 64),
                deadLetterTopic,
                env.integer("OCPPGW_MAX_THREAD_REPLACEMENTS", 3, 0, 100));
    }

    /**
     * Under exactly_once_v2 a record written is readable by read_committed consumers (the edge pods,
     * backends) only when its transaction commits, so the commit interval bounds the latency of every
     * command: 30 ms. Under at_least_once it is readable at once, and each commit only pauses the stream
     * thread (cache and producer flush, offsets): 1 s.
     */
    static Duration defaultCommitInterval(String guarantee) {
        return guarantee.equals("at_least_once") ? Duration.ofSeconds(1) : Duration.ofMillis(30);
    }

    /**
     * Under exactly_once_v2, the longest a transaction grows while the instance works off a backlog: long
     * enough that each commit carries many records when commits are slow (after a broker loss one took
     * 0.5 s here), short enough that what it writes is never held back much longer than that.
     */
    static final Duration BACKLOG_COMMIT_INTERVAL = Duration.ofSeconds(1);

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Client timeouts chosen for failover, each overridable with its {@code KAFKA_*} variable. They
     * follow what a lost broker and a lost instance cost: the controller fences a broker that stopped
     * heartbeating after {@code broker.session.timeout.ms} (9 s by default) and moves its leaderships;
     * until then writes to its partitions wait.
     */
    static Map<String, Object> failoverDefaults() {
        Map<String, Object> d = new HashMap<>();
        // An instance that stops heartbeating loses its tasks to a standby after this, not Kafka's 45 s:
        // 6 s is the least brokers accept by default (group.min.session.timeout.ms). Three heartbeats fit in
        // it, and it outlasts any GC pause of these heaps; a lost group coordinator does not count against
        // it, since the coordinator that takes the group over starts every member's session afresh.
        d.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        d.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        // An exactly_once_v2 transaction open while a broker is lost cannot commit until the markers reach
        // the partitions that broker led: 17 s were measured. Streams' 10 s limit let the coordinator abort
        // it and fence the producer (every task migrated and restored). A transaction left open by an
        // instance killed for good is not left to this timeout: AbandonedTransactions aborts it.
        d.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        // A request to a broker gone without a word (no RST) is retried on fresh metadata after this:
        // short enough for a retry inside the transaction timeout, longer than a healthy request ever takes.
        d.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return d;
    }

    static final int TRANSACTION_TIMEOUT_MS = 60_000;

    /** Whether the app runs exactly_once_v2, where what it writes is readable downstream only once committed. */
    public boolean exactlyOnce() {
        return processingGuarantee.equals(StreamsConfig.EXACTLY_ONCE_V2);
    }

    /** Settings for an Admin client of this app: the Kafka client settings with the same timeouts. */
    public Map<String, Object> adminSettings() {
        Map<String, Object> settings = new HashMap<>(failoverDefaults());
        settings.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        settings.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        settings.remove(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        settings.putAll(kafka);
        return settings;
    }

    /** The KafkaStreams properties these settings stand for. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(failoverDefaults());
        p.putAll(kafka);
        // Kafka Streams checks the transaction timeout against commit.interval.ms by its producer-prefixed
        // name only (else its own 10 s): the same value under that name, the operator's if set
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                p.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        // CommitPacing asks for the commits of a caught-up task every commitInterval; this is the longest a transaction
        // grows
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) backlogCommitInterval.toMillis());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + adminPort);
        // A task processes in timestamp order across its co-partitioned inputs and waits for any input
        // with records on the broker not fetched yet, so a command is never judged against a route table
        // that has not caught up. Above 0 it also idles that long
        // whenever one input is merely empty, which measured ~280 ms of added routing latency at 500 ms.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, maxTaskIdle.toMillis());
        // Streams' producer would otherwise linger 100 ms on every batch.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        p.put(BoundedRocksDbConfig.TOTAL_BYTES_CONFIG, String.valueOf(rocksDbBytes));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        instanceId.ifPresent(id -> p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));

        return p;
    }
}
