package io.ocppgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaClusterIT {

    @Test
    void shouldStayWritableWithTwoInSyncReplicasWhenTheLeaderIsKilledAndTakeTheNodeBack(@TempDir Path dir)
            throws Exception {
        try (EmbeddedKafkaCluster cluster =
                        EmbeddedKafkaCluster.start(3, dir, EmbeddedKafkaProcess.defaultJvmOptions());
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(3);
            // the brokers' own defaults are production's: three replicas, two in sync for a write
            admin.createTopics(List.of(new NewTopic("replicated", 1, (short) -1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            TopicDescription topic = admin.describeTopics(Set.of("replicated"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("replicated");
            assertThat(topic.partitions().get(0).replicas()).hasSize(3);
            Config config = admin.describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC, "replicated")))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next();
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(cluster.awaitFullyReplicated(Duration.ofSeconds(30))).isTrue();
            assertThat(cluster.underReplicatedPartitions()).isZero();

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            cluster.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("replicated", "cp", "before"))
                        .get(30, TimeUnit.SECONDS);
                int leader = topic.partitions().get(0).leader().id();

                cluster.kill(leader);
                RecordMetadata during = producer.send(new ProducerRecord<>("replicated", "cp", "one node down"))
                        .get(60, TimeUnit.SECONDS);
                int newLeader = admin.describeTopics(Set.of("replicated"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("replicated")
                        .partitions()
                        .get(0)
                        .leader()
                        .id();

                assertThat(during.offset()).isEqualTo(1);
                assertThat(newLeader).isNotEqualTo(leader);
                assertThat(cluster.isRunning(leader)).isFalse();

                cluster.restart(leader);
                assertThat(cluster.isRunning(leader)).isTrue();
                // the other nodes learn of it through the metadata log, a moment after it serves
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size() < 3
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasSize(3);
                producer.send(new ProducerRecord<>("replicated", "cp", "all back"))
                        .get(30, TimeUnit.SECONDS);
                assertThat(cluster.awaitFullyReplicated(Duration.ofSeconds(60)))
                        .as("the restarted node caught up")
                        .isTrue();
            }
        }
    }
}
