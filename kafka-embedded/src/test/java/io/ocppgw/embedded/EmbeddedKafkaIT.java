package io.ocppgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @Test
    void shouldServeProducersAndConsumersInProcessAndCleanUpItsTemporaryData() throws Exception {
        Path dataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.ephemeral())) {
            dataDir = kafka.dataDir();
            createTopic(kafka.bootstrapServers(), "round-trip");
            produce(kafka.bootstrapServers(), "round-trip", "cp-1", "hello");

            assertThat(consumeAll(kafka.bootstrapServers(), "round-trip")).containsExactly("cp-1=hello");
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void shouldKeepTopicsAndRecordsInAKeptDataDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
        BrokerSettings settings = BrokerSettings.ephemeral().withDataDir(dir.resolve("kafka"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
            createTopic(kafka.bootstrapServers(), "kept");
            produce(kafka.bootstrapServers(), "kept", "cp-2", "before restart");
        }
        assertThat(dir.resolve("kafka")).exists();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
            assertThat(consumeAll(kafka.bootstrapServers(), "kept")).containsExactly("cp-2=before restart");
        }
    }

    @Test
    void shouldBindTheRequestedPort() {
        int port = FreePorts.loopback();
        try (EmbeddedKafka kafka =
                EmbeddedKafka.start(BrokerSettings.ephemeral().withPort(port))) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        }
    }

    @Test
    void shouldRefuseToCreateTopicsImplicitly() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.ephemeral());
                Admin admin = kafka.admin()) {
            produceWithoutWaitingForMetadata(kafka.bootstrapServers(), "typo-topic");
            assertThat(admin.listTopics().names().get()).doesNotContain("typo-topic");
        }
    }

    @Test
    void shouldSurviveAKilledChildProcessAndRestartOnTheSamePortAndData(@TempDir Path dir) throws Exception {
        int port = FreePorts.loopback();
        String bootstrap;
        try (EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions())) {
            bootstrap = broker.bootstrapServers();
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + port);
            assertThat(broker.pid()).isNotEqualTo(ProcessHandle.current().pid());
            createTopic(bootstrap, "survives-kill");
            produce(bootstrap, "survives-kill", "cp-3", "acked before kill -9");

            broker.kill();
            assertThat(broker.isAlive()).isFalse();
        }
        try (EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions())) {
            assertThat(consumeAll(broker.bootstrapServers(), "survives-kill"))
                    .containsExactly("cp-3=acked before kill -9");
        }
        assertThat(Files.readString(dir.resolve("broker.log"))).contains(EmbeddedKafkaMain.READY_MARKER);
    }

    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static void produceWithoutWaitingForMetadata(String bootstrap, String topic) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v"));
            producer.flush();
        }
    }

    static List<String> consumeAll(String bootstrap, String topic) {
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            long end = consumer.endOffsets(Set.of(tp)).get(tp);
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
            return seen;
        }
    }
}
