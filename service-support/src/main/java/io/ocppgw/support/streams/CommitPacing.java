package io.ocppgw.support.streams;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * When an exactly_once_v2 instance commits. A record it writes is readable downstream only once its
 * transaction commits, and each commit costs a fixed round of requests (flush, offsets, end of
 * transaction, markers) whatever the transaction holds. Kafka Streams commits after a fixed interval of
 * processing, so when a commit is slow — a broker lost, a busy cluster — each transaction holds only that
 * interval's few records, and the instance falls behind its input for good: after a broker loss at 50
 * commands/s, commands waited 60–96 s with a 30 ms interval (p99), 30 s with a fixed 1 s one.
 *
 * <p>So the interval depends on the backlog: a stream thread with nothing known left to process on any
 * input commits every {@code commitInterval}, which bounds latency as before; a thread with any input
 * behind lets its transaction grow until Kafka Streams' own {@code commit.interval.ms}, set to
 * {@code backlogCommitInterval}, so each commit carries many records and the backlog drains (p99 13.5 s
 * after the same broker loss on a running gateway, over three runs). It is decided per thread because under exactly_once_v2 the tasks
 * of a thread share one producer: a commit asked for by one task commits them all. How far behind is read
 * from the stream thread's own consumer (its position and lag), which this class hands Kafka Streams as
 * its client supplier.
 *
 * <p>Under at_least_once nothing waits for a commit and Kafka Streams' interval is used as it is.
 */
public final class CommitPacing {

    /**
     * Behind by more than this on any input, a thread lets its transaction grow. None: a commit asked for
     * makes Kafka Streams process one record per task before the next, so with commits of 0.25 s even 100
     * records left took 20 s to drain; a thread that works off what it holds first reaches none within a
     * poll or two, and commits then.
     */
    static final long CAUGHT_UP_RECORDS = 0;

    /**
     * A partition not heard of for this long no longer holds its thread back: a partition with records
     * left has one processed every loop, so an old entry is one whose task went away unclosed.
     */
    static final Duration FORGET_AFTER = Duration.ofSeconds(2);

    private final Duration commitInterval;
    private final boolean paced;
    /** The main consumer of each stream thread, by its client id ({@code <thread name>-consumer}). */
    private final Map<String, Consumer<byte[], byte[]>> consumers = new ConcurrentHashMap<>();
    /** How far behind each input partition of a stream thread's tasks was at its last record, by thread name. */
    private final Map<String, Map<TopicPartition, Behind>> behindByThread = new ConcurrentHashMap<>();

    private final KafkaClientSupplier clients = new Supplier();

    /** How many records lay after the last one processed from a partition, and when (epoch millis). */
    record Behind(long records, long atMs) {}

    private CommitPacing(Duration commitInterval, boolean paced) {
        this.commitInterval = commitInterval;
        this.paced = paced;
    }

    /** Pacing for these settings: paced under exactly_once_v2, Kafka Streams' interval under at_least_once. */
    public static CommitPacing of(StreamsSettings settings) {
        return new CommitPacing(settings.commitInterval(), settings.exactlyOnce());
    }

    /** No pacing: Kafka Streams' own interval (topology tests, which have no consumer to ask). */
    public static CommitPacing none() {
        return new CommitPacing(Duration.ofSeconds(1), false);
    }

    KafkaClientSupplier clientSupplier() {
        return clients;
    }

    /** Starts pacing the commits of the task {@code context} belongs to; call from the processor's {@code init}. */
    public Task start(ProcessorContext<?, ?> context) {
        Task task = new Task(context);
        if (paced) {
            context.schedule(commitInterval, PunctuationType.WALL_CLOCK_TIME, now -> task.maybeCommit());
        }
        return task;
    }

    /**
     * How many records of a partition lie after {@code offset}: the consumer's {@code position} (the
     * next offset it fetches) less the next one to process, plus its lag (what it has not fetched yet;
     * unknown until its first fetch, then taken as none).
     */
    static long behind(long position, OptionalLong lag, long offset) {
        return Math.max(0, position - (offset + 1)) + Math.max(0, lag.orElse(0));
    }

    /** Whether a thread whose inputs lie this far behind should commit at {@code nowMs} rather than grow its transaction. */
    static boolean caughtUp(Collection<Behind> behind, long nowMs) {
        return behind.stream()
                .allMatch(b -> b.records() <= CAUGHT_UP_RECORDS || nowMs - b.atMs() > FORGET_AFTER.toMillis());
    }

    /** One task's pacing: told of every record processed, asks for a commit when its thread's inputs are caught up. */
    public final class Task {

        private final ProcessorContext<?, ?> context;
        /** The inputs this task noted, so that closing it (its partitions moved away) forgets them. */
        private final Set<TopicPartition> inputs = new HashSet<>();

        private Task(ProcessorContext<?, ?> context) {
            this.context = context;
        }

        /** Call for each record the processor takes: notes how far behind its partition is. */
        public void processed() {
            if (!paced) {
                return;
            }
            RecordMetadata where = context.recordMetadata().orElse(null);
            String thread = Thread.currentThread().getName();
            Consumer<byte[], byte[]> consumer = consumers.get(thread + "-consumer");
            if (where == null || consumer == null) {
                return; // not from an input (a punctuation) or not our supplier's consumer: commits stay eager
            }
            TopicPartition tp = new TopicPartition(where.topic(), where.partition());
            Map<TopicPartition, Behind> behind = behindByThread.computeIfAbsent(thread, t -> new ConcurrentHashMap<>());
            inputs.add(tp);
            try {
                // the stream thread owns its consumer, and processors run on that thread: both calls are local
                behind.put(
                        tp,
                        new Behind(
                                behind(consumer.position(tp, Duration.ZERO), consumer.currentLag(tp), where.offset()),
                                context.currentSystemTimeMs()));
            } catch (RuntimeException e) {
                behind.remove(tp); // no position known (the partition just moved): as if caught up
            }
        }

        /** Call from the processor's {@code close}: the task's inputs no longer hold its thread back. */
        public void close() {
            behindByThread.values().forEach(behind -> behind.keySet().removeAll(inputs));
            inputs.clear();
        }

        private void maybeCommit() {
            Map<TopicPartition, Behind> behind =
                    behindByThread.get(Thread.currentThread().getName());
            if (behind == null || caughtUp(behind.values(), context.currentSystemTimeMs())) {
                context.commit();
            }
        }
    }

    /** Kafka's own clients, each main consumer remembered so a task can ask it how far behind it is. */
    private final class Supplier implements KafkaClientSupplier {

        private final DefaultKafkaClientSupplier kafka = new DefaultKafkaClientSupplier();

        @Override
        public Admin getAdmin(Map<String, Object> config) {
            return kafka.getAdmin(config);
        }

        @Override
        public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
            return kafka.getProducer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
            Consumer<byte[], byte[]> consumer = kafka.getConsumer(config);
            Object clientId = config.get(CommonClientConfigs.CLIENT_ID_CONFIG);
            if (clientId != null) {
                consumers.put(clientId.toString(), consumer);
            }
            return consumer;
        }

        @Override
        public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
            return kafka.getRestoreConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
            return kafka.getGlobalConsumer(config);
        }
    }
}
