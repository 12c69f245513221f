package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.support.Env;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.support.streams.StreamsService;
import io.ocppgw.support.streams.StreamsSettings;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once commits paced by the backlog, on a real broker: an instance that starts 2,000 records
 * behind (each taking a millisecond) works them off in a few large transactions — at Kafka Streams' own
 * 30 ms interval 85 were counted — and once caught up, what it writes is readable within the short
 * interval, not the long one it may batch to (without pacing nothing was readable for 20 s).
 */
@WithKafkaBroker
class CommitPacingIT {

    private static final int BACKLOG = 2_000;

    @Test
    void shouldBatchWhileBehindAndCommitEagerlyOnceCaughtUp(EmbeddedKafka kafka) throws Exception {
        String in = "pace-in-" + UUID.randomUUID().toString().substring(0, 8);
        String out = in.replace("-in-", "-out-");
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(
                            new NewTopic(in, 1, (short) 1),
                            new NewTopic(out, 1, (short) 1),
                            new NewTopic(in + "-dead", 1, (short) 1)))
                    .all()
                    .get();
        }
        Env env = new Env(Map.of(
                "OCPPGW_BOOTSTRAP_SERVER",
                kafka.bootstrapServers(),
                "OCPPGW_ADMIN_PORT",
                String.valueOf(FreePorts.loopback()),
                "OCPPGW_STATE_DIR",
                Files.createTempDirectory("pace-state").toString(),
                "OCPPGW_APPLICATION_ID",
                in + "-app",
                "OCPPGW_COMMIT_INTERVAL",
                "PT0.03S",
                "OCPPGW_BACKLOG_COMMIT_INTERVAL",
                "PT20S"));
        StreamsSettings settings = StreamsSettings.fromEnv(env, Map.of(), "pace", "", in + "-dead", 9999);
        env.validate();
        CommitPacing pacing = CommitPacing.of(settings);
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), in);
        topology.addProcessor("slow", () -> new SlowCopy(pacing), "in");
        topology.addSink(
                "out", out, Serdes.String().serializer(), Serdes.String().serializer(), "slow");

        try (var producer = new KafkaProducer<String, String>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 5),
                        new StringSerializer(),
                        new StringSerializer());
                var reader = new KafkaConsumer<String, String>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            for (int i = 0; i < BACKLOG; i++) {
                producer.send(new ProducerRecord<>(in, "k", "backlog-" + i));
            }
            producer.flush();
            TopicPartition outPartition = new TopicPartition(out, 0);
            reader.assign(List.of(outPartition));

            try (StreamsService service = new StreamsService(
                            "pace", settings, topology, pacing, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                    .start()) {
                List<ConsumerRecord<String, String>> copied = new ArrayList<>();
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    reader.poll(Duration.ofMillis(100)).forEach(copied::add);
                    return copied.size() >= BACKLOG;
                });
                // each commit leaves one marker in the output: its offsets not taken by a record are the transactions
                long transactions = reader.endOffsets(List.of(outPartition)).get(outPartition) - copied.size();
                assertThat(transactions)
                        .as("transactions that carried %d records", BACKLOG)
                        .isBetween(1L, 30L);

                for (int i = 0; i < 10; i++) {
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(in, "k", "live-" + i)).get();
                    String value = "live-" + i;
                    await().atMost(Duration.ofSeconds(5))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> reader.poll(Duration.ofMillis(20)).records(outPartition).stream()
                                    .anyMatch(r -> r.value().equals(value)));
                    assertThat(Duration.ofNanos(System.nanoTime() - sent))
                            .as("a caught-up record readable downstream")
                            .isLessThan(Duration.ofSeconds(3));
                }
                assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    /** Copies each record, a millisecond's work apiece, telling the pacing of each. */
    private static final class SlowCopy implements Processor<String, String, String, String> {
        private final CommitPacing pacing;
        private ProcessorContext<String, String> context;
        private CommitPacing.Task commits;

        SlowCopy(CommitPacing pacing) {
            this.pacing = pacing;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.commits = pacing.start(context);
        }

        @Override
        public void process(Record<String, String> record) {
            commits.processed();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            context.forward(record);
        }

        @Override
        public void close() {
            commits.close();
        }
    }
}
