package io.ocppgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.Jedis;

/**
 * One pod of the classic design the broadcast benchmark compares against, as teams commonly build
 * it: on connect the pod writes {@code route:<id> = <pod>} to Redis; it consumes its own topic
 * ({@code <prefix>commands.<pod>}, one partition, read from the start), sends each command as a
 * CALL to the socket it holds, and writes the answer to {@code <prefix>command-results}. A command
 * for a charge point it does not hold is answered {@code NOT_CONNECTED} (a generous classic pod:
 * many drop it). Nothing is journaled, nothing is re-routed, nothing is leased: a killed pod's
 * topic just stops being read.
 */
public final class ClassicEdge implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The topics and keys both halves of the classic design agree on. */
    public record Names(String prefix) {
        public String commands(String pod) {
            return prefix + "commands." + pod;
        }

        public String results() {
            return prefix + "command-results";
        }

        public static String routeKey(String chargePointId) {
            return "route:" + chargePointId;
        }
    }

    private final String podId;
    private final Names names;
    private final Undertow server;
    private final Jedis redis;
    private final ExecutorService redisWriter = Executors.newSingleThreadExecutor();
    /** Outcomes are produced off the IO threads: {@code KafkaProducer.send} may block for metadata. */
    private final ExecutorService outcomes = Executors.newSingleThreadExecutor();

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, WebSocketChannel> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    public ClassicEdge(String podId, int port, int redisPort, String bootstrap, String topicPrefix) {
        this.podId = podId;
        this.names = new Names(topicPrefix);
        this.redis = new Jedis("127.0.0.1", redisPort);
        this.producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 2),
                new StringSerializer(),
                new StringSerializer());
        this.consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false, "auto.offset.reset", "earliest"),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.assign(List.of(new TopicPartition(names.commands(podId), 0)));
        WebSocketConnectionCallback onConnect = (exchange, channel) -> {
            String identity =
                    exchange.getRequestURI().substring(exchange.getRequestURI().lastIndexOf('/') + 1);
            sessions.put(identity, channel);
            // Redis is written off the IO thread, in connect order
            redisWriter.execute(() -> redis.set(Names.routeKey(identity), podId));
            channel.getCloseSetter().set(c -> sessions.remove(identity, channel));
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) throws IOException {
                    onFrame(ch, MAPPER.readTree(message.getData()));
                }
            });
            channel.resumeReceives();
        };
        this.server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(new WebSocketProtocolHandshakeHandler(
                        List.of(new Hybi13Handshake(Set.of("ocpp1.6"), false)), onConnect))
                .build();
        server.start();
        this.poller = new Thread(this::deliver, podId + "-commands");
        poller.start();
    }

    private void onFrame(WebSocketChannel ch, JsonNode frame) {
        int type = frame.path(0).asInt();
        String messageId = frame.path(1).asText();
        if (type == 2) {
            WebSockets.sendText("[3,\"" + messageId + "\",{}]", ch, null);
        } else if (pending.remove(messageId) != null) {
            result(messageId, type == 3 ? "COMPLETED" : "FAILED");
        }
    }

    private void deliver() {
        while (running) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                JsonNode command;
                try {
                    command = MAPPER.readTree(r.value());
                } catch (IOException e) {
                    continue;
                }
                String commandId = command.path("commandId").asText();
                WebSocketChannel ch = sessions.get(command.path("chargePointId").asText());
                if (ch == null || !ch.isOpen()) {
                    result(commandId, "NOT_CONNECTED");
                    continue;
                }
                pending.put(commandId, podId);
                WebSockets.sendText(
                        "[2,\"" + commandId + "\",\"" + command.path("action").asText() + "\","
                                + command.path("payload") + "]",
                        ch,
                        null);
            }
        }
        consumer.close();
    }

    private void result(String commandId, String status) {
        String value = MAPPER.createObjectNode()
                .put("commandId", commandId)
                .put("status", status)
                .put("podId", podId)
                .toString();
        outcomes.execute(() -> producer.send(new ProducerRecord<>(names.results(), commandId, value)));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5000);
        server.stop();
        redisWriter.shutdown();
        redisWriter.awaitTermination(5, TimeUnit.SECONDS);
        outcomes.shutdown();
        outcomes.awaitTermination(5, TimeUnit.SECONDS);
        producer.close();
        redis.close();
    }
}
