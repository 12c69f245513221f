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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The bare hot path the gateway is measured against: Undertow WebSockets, Jackson to read the message
 * id, one KafkaProducer with the edge's settings (acks=all, idempotent, linger 2 ms, lz4), and the
 * answer sent in the producer's callback. No validation, sessions, journal records, metrics or
 * back-pressure: whatever the gateway costs beyond this is its overhead.
 */
public final class BareHotPath implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaProducer<String, byte[]> producer;
    private final Undertow server;

    public BareHotPath(int port, String bootstrap, String topic) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        WebSocketConnectionCallback onConnect = (exchange, channel) -> {
            String identity =
                    exchange.getRequestURI().substring(exchange.getRequestURI().lastIndexOf('/') + 1);
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) throws IOException {
                    String text = message.getData();
                    JsonNode frame = MAPPER.readTree(text);
                    String messageId = frame.path(1).asText();
                    producer.send(
                            new ProducerRecord<>(topic, identity, text.getBytes(StandardCharsets.UTF_8)),
                            (meta, failure) -> {
                                if (failure == null) {
                                    WebSockets.sendText("[3,\"" + messageId + "\",{}]", ch, null);
                                }
                            });
                }
            });
            channel.resumeReceives();
        };
        this.server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(new WebSocketProtocolHandshakeHandler(
                        List.of(new Hybi13Handshake(Set.of("ocpp1.6", "ocpp2.0.1"), false)), onConnect))
                .build();
        server.start();
    }

    @Override
    public void close() {
        server.stop();
        producer.close();
    }
}
