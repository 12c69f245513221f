package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.simulator.RawWebSocket;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What only a hand-written client can show: pings without pongs, CALLs sent back to back, offered extensions, proxy headers. */
@WithKafkaBroker
class EdgeRawSocketIT {

    private static final int PING = 0x9;
    private static final int CLOSE = 0x8;

    @Test
    void shouldPingAndCloseAChargePointThatNeverAnswersPongs(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(kafka.bootstrapServers(), Map.of("OCPPGW_PING_INTERVAL", "PT1S"));
                RawWebSocket ws = RawWebSocket.upgrade(
                        edge.app.port(), "/ocpp/CP-SILENT", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"))) {
            assertThat(ws.status).isEqualTo(101);
            assertThat(ws.headers).containsEntry("sec-websocket-protocol", "ocpp1.6");

            RawWebSocket.Frame first = ws.read();
            RawWebSocket.Frame next = first;
            while (next.opcode() == PING) {
                next = ws.read();
            }

            assertThat(first.opcode()).isEqualTo(PING);
            assertThat(next.opcode()).isEqualTo(CLOSE);
            assertThat(next.closeCode()).isEqualTo(1001);
        }
    }

    @Test
    void shouldJournalEveryCallOfAChargePointThatSendsThemBackToBackAndCloses(EmbeddedKafka kafka) throws Exception {
        int queued = 4;
        try (EdgeFixture edge = EdgeFixture.start(
                kafka.bootstrapServers(), Map.of("OCPPGW_MAX_QUEUED_CALLS", String.valueOf(queued)))) {
            // firmware on a hard reset: its queued messages out at once, then the close, no answer awaited
            try (RawWebSocket ws = RawWebSocket.upgrade(
                    edge.app.port(), "/ocpp/CP-RESET", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"))) {
                assertThat(ws.status).isEqualTo(101);
                for (int i = 0; i < queued; i++) {
                    ws.sendText("[2,\"reset-" + i
                            + "\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\","
                            + "\"status\":\"Unavailable\"}]");
                }
                ws.send(true, false, CLOSE, new byte[] {0x03, (byte) 0xe8}); // 1000
            }

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(edge.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream()
                                    .map(ConsumerRecord::value)
                                    .filter(e ->
                                            e.chargePointId().equals("CP-RESET") && e.direction() == Direction.FROM_CP)
                                    .map(JournalEntry::messageId))
                            .containsExactly("reset-0", "reset-1", "reset-2", "reset-3"));
        }
    }

    @Test
    void shouldLetARequestAtEachLimitUpgradeAndRefuseOneOverIt(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_MAX_REQUEST_URI_BYTES",
                        "256",
                        "OCPPGW_MAX_REQUEST_HEADERS",
                        "16",
                        "OCPPGW_MAX_REQUEST_HEADER_BYTES",
                        "1024"))) {
            int port = edge.app.port();
            // the request target: a query pads it to the limit (the gate ignores queries)
            assertThat(status(port, target("CP-URI1", 256), Map.of())).isEqualTo(101);
            assertThat(status(port, target("CP-URI2", 257), Map.of())).isEqualTo(414);

            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = BASE_FIELDS; i < 16; i++) {
                fields.put("X-F" + i, "v");
            }
            assertThat(status(port, "/ocpp/CP-HDR1", fields)).isEqualTo(101);
            fields.put("X-F16", "v");
            assertThat(status(port, "/ocpp/CP-HDR2", fields)).isEqualTo(431);

            assertThat(status(port, "/ocpp/CP-BYTES1", Map.of("X-Pad", pad("/ocpp/CP-BYTES1", 1024))))
                    .isEqualTo(101);
            assertThat(status(port, "/ocpp/CP-BYTES2", Map.of("X-Pad", pad("/ocpp/CP-BYTES2", 1025))))
                    .isEqualTo(431);
        }
    }

    @Test
    void shouldDropARequestThatDoesNotArriveWithinTheRequestTimeout(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(kafka.bootstrapServers(), Map.of("OCPPGW_REQUEST_TIMEOUT", "PT1S"));
                Socket slow = new Socket("127.0.0.1", edge.app.port())) {
            slow.getOutputStream()
                    .write("GET /ocpp/CP-SLOW HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            slow.setSoTimeout(10_000);
            long start = System.nanoTime();
            // the rest never comes: the server closes (an answer, if any, then end of stream)
            while (slow.getInputStream().read() != -1) {
                // drain what the server says before it closes
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    /** Header fields every upgrade request here sends: Host, Upgrade, Connection, the version, the key, the subprotocol. */
    private static final int BASE_FIELDS = 6;

    private static String request(String target, Map<String, String> extra) {
        StringBuilder r = new StringBuilder(
                "GET " + target + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Protocol: ocpp1.6\r\n");
        extra.forEach((name, value) -> r.append(name).append(": ").append(value).append("\r\n"));
        return r.append("\r\n").toString();
    }

    private static int status(int port, String target, Map<String, String> extra) throws Exception {
        try (RawWebSocket ws = RawWebSocket.raw(port, request(target, extra).getBytes(StandardCharsets.ISO_8859_1))) {
            return ws.status;
        }
    }

    /** A target of exactly {@code bytes}. */
    private static String target(String identity, int bytes) {
        String path = "/ocpp/" + identity + "?p=";
        return path + "q".repeat(bytes - path.length());
    }

    /** A value for one more header field that brings the header fields to exactly {@code bytes} (name, ": ", value each). */
    private static String pad(String target, int bytes) {
        String base = request(target, Map.of());
        int baseBytes = base.lines()
                .skip(1)
                .filter(l -> !l.isEmpty())
                .mapToInt(String::length)
                .sum();
        return "p".repeat(bytes - baseBytes - "X-Pad: ".length());
    }

    @Test
    void shouldOfferPermessageDeflateAndAnswerNoSubprotocolWhenNoneMatches(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(kafka.bootstrapServers(), Map.of())) {
            try (RawWebSocket ws = RawWebSocket.upgrade(
                    edge.app.port(),
                    "/ocpp/CP-DEFLATE",
                    Map.of(
                            "Sec-WebSocket-Protocol",
                            "ocpp2.0.1",
                            "Sec-WebSocket-Extensions",
                            "permessage-deflate; client_max_window_bits"))) {
                assertThat(ws.status).isEqualTo(101);
                assertThat(ws.headers.get("sec-websocket-extensions")).startsWith("permessage-deflate");
            }
            try (RawWebSocket ws = RawWebSocket.upgrade(
                    edge.app.port(), "/ocpp/CP-NONE", Map.of("Sec-WebSocket-Protocol", "ocpp1.2, wamp"))) {
                assertThat(ws.status).isEqualTo(101);
                assertThat(ws.headers).doesNotContainKey("sec-websocket-protocol");
                RawWebSocket.Frame close = ws.read();
                assertThat(close.opcode()).isEqualTo(CLOSE);
                assertThat(close.closeCode()).isEqualTo(1002);
            }
        }
    }

    @Test
    void shouldTrustTheClientCertificateHeaderOfAConfiguredTlsOffloadingProxy(EmbeddedKafka kafka) throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_SECURITY_PROFILE",
                        "3",
                        "OCPPGW_CLIENT_CERT_HEADER",
                        "X-SSL-Client-DN",
                        "OCPPGW_CLIENT_CERT_ORGANIZATION",
                        "Acme"))) {
            try (RawWebSocket ok = RawWebSocket.upgrade(
                    edge.app.port(),
                    "/ocpp/CP-PROXIED",
                    Map.of("Sec-WebSocket-Protocol", "ocpp1.6", "X-SSL-Client-DN", "CN=CP-PROXIED,O=Acme"))) {
                assertThat(ok.status).isEqualTo(101);
            }
            try (RawWebSocket other = RawWebSocket.upgrade(
                    edge.app.port(),
                    "/ocpp/CP-PROXIED",
                    Map.of("Sec-WebSocket-Protocol", "ocpp1.6", "X-SSL-Client-DN", "CN=CP-ELSE,O=Acme"))) {
                assertThat(other.status).isEqualTo(401);
            }
            try (RawWebSocket none = RawWebSocket.upgrade(
                    edge.app.port(), "/ocpp/CP-PROXIED", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"))) {
                assertThat(none.status).isEqualTo(401);
            }
        }
    }
}
