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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * A fault that is not the record's (a bug, a store that cannot be written) must not loop in silence:
 * the stream thread is replaced a bounded number of times, then the instance goes not ready and its
 * failure names the record, so the process exits non-zero.
 */
@WithKafkaBroker
class StreamsFailureIT {

    @Test
    void shouldGiveUpAfterTheBoundedReplacementsAndNameTheRecord(EmbeddedKafka kafka) throws Exception {
        String topic = "fail-" + UUID.randomUUID().toString().substring(0, 8);
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(topic + "-dead", 1, (short) 1)))
                    .all()
                    .get();
        }
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), topic);
        topology.addProcessor(
                "broken",
                () -> new Processor<String, String, Void, Void>() {
                    @Override
                    public void process(Record<String, String> record) {
                        throw new IllegalStateException("a bug, not the record's fault");
                    }
                },
                "in");
        Env env = new Env(Map.of(
                "OCPPGW_BOOTSTRAP_SERVER",
                kafka.bootstrapServers(),
                "OCPPGW_ADMIN_PORT",
                String.valueOf(FreePorts.loopback()),
                "OCPPGW_STATE_DIR",
                Files.createTempDirectory("fail-state").toString(),
                "OCPPGW_MAX_THREAD_REPLACEMENTS",
                "1",
                "OCPPGW_APPLICATION_ID",
                topic + "-app",
                "OCPPGW_PROCESSING_GUARANTEE",
                "at_least_once"));
        // a replaced thread rejoins the group: a short session lets the rebalance after each failure finish sooner
        StreamsSettings settings = StreamsSettings.fromEnv(
                env,
                Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "1000"),
                "fail",
                "",
                topic + "-dead",
                9999);
        env.validate();
        try (StreamsService service = new StreamsService(
                                "failing",
                                settings,
                                topology,
                                CommitPacing.of(settings),
                                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                        .start();
                var producer = new KafkaProducer<String, String>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> service.state() == KafkaStreams.State.RUNNING);
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();

            String why = service.failure().get(90, TimeUnit.SECONDS);

            assertThat(why).contains(topic + "/0@0").contains("failed 2 times");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.state() == KafkaStreams.State.ERROR
                            || service.state() == KafkaStreams.State.PENDING_ERROR);
            assertThat(HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(
                                                    "http://127.0.0.1:" + service.adminPort() + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(503);
        }
    }
}
