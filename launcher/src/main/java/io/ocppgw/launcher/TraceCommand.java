package io.ocppgw.launcher;

import io.ocppgw.topics.ChargePointPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PayloadRedaction;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ocppgw trace}: what one charge point said and was answered, from {@code ocpp-journal}, in
 * wire order. It reads only the partition its key hashes to, from the offset of {@code --since}, so it
 * costs the same on a cluster of a million charge points as on ten.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description =
                "Print one charge point's frames from the journal in order (time, direction, type, action, message id, payload), secrets hidden.")
final class TraceCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--cp", required = true, paramLabel = "ID", description = "The charge point's identity.")
    String chargePointId;

    @Option(
            names = "--since",
            defaultValue = "PT1H",
            description = "How far back to start (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration since;

    @Option(names = "--follow", description = "Keep printing new frames until interrupted.")
    boolean follow;

    @Option(
            names = "--redact",
            split = ",",
            paramLabel = "NAME",
            description =
                    "Secrets to hide: field names, 1.6 configuration keys, 2.x variable names, any case. Default: AuthorizationKey,BasicAuthPassword,password,privateKey.")
    List<String> redact = PayloadRedaction.DEFAULT_NAMES;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name.")
    String topicPrefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String topic = new TopicNames(topicPrefix).name(Topic.OCPP_JOURNAL);
        Map<String, Object> settings = new HashMap<>(kafka.clientSettings(EnvDefaults.environment(spec)));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, not subscribed: no group
        PayloadRedaction redaction = new PayloadRedaction(redact);
        JsonSerde<JournalEntry> serde = JsonSerde.of(JournalEntry.class);
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("ocppgw trace: topic " + topic + " does not exist (is --topic-prefix right?)");
                return Ocppgw.EXIT_RUNTIME;
            }
            TopicPartition tp = new TopicPartition(topic, ChargePointPartitions.of(chargePointId, partitions.size()));
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            OffsetAndTimestamp from = consumer.offsetsForTimes(
                            Map.of(tp, Instant.now().minus(since).toEpochMilli()))
                    .get(tp);
            consumer.seek(tp, from == null ? end : from.offset());
            while (follow || consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!chargePointId.equals(r.key())) {
                        continue;
                    }
                    try {
                        out.println(line(serde.deserialize(topic, r.value()), redaction));
                    } catch (RuntimeException unreadable) {
                        out.println("(offset " + r.offset() + ": unreadable record, " + unreadable.getMessage() + ")");
                    }
                }
                out.flush();
            }
        }
        return 0;
    }

    /** One frame as a line: time, direction (CP→ from the charge point, →CP to it), type, action, message id, payload or error. */
    static String line(JournalEntry e, PayloadRedaction redaction) {
        String direction = e.direction() == Direction.FROM_CP ? "CP→" : "→CP";
        String content = e.error() != null
                ? "error " + e.error().code() + " " + nullToDash(e.error().description())
                : String.valueOf(redaction.apply(e.payload()));
        return String.join(
                "  ",
                String.valueOf(e.at()),
                direction,
                pad(e.messageType(), 10),
                pad(nullToDash(e.action()), 24),
                pad(nullToDash(e.messageId()), 36),
                content);
    }

    private static String nullToDash(String s) {
        return s == null ? "-" : s;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
