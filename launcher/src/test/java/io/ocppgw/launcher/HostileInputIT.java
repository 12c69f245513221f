package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.bench.GatewayProcesses;
import io.ocppgw.bench.GatewayProcesses.Node;
import io.ocppgw.edge.handshake.PasswordHash;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.DecodeResult;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.simulator.RawWebSocket;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * A corpus of hostile input, hand-written and generated, against one {@code ocppgw edge} process
 * (security profile 1): every case gets its specified outcome, while a well-behaved charge point's
 * heartbeats keep being answered, the pod stays up, nothing from a peer refused at the handshake
 * reaches Kafka, and the pod holds no more file descriptors afterwards than before.
 */
@WithKafkaBroker
class HostileInputIT {

    private static final String PREFIX = "hostile.";
    private static final String PASSWORD = "pw-hostile";
    private static final int MAX_FRAME = 65_536;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final AtomicInteger identities = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private int cases;

    @Test
    void shouldGiveEveryHostileCaseItsOutcomeAndLeaveThePodAndOtherChargePointsUnharmed(EmbeddedKafka kafka)
            throws Exception {
        Path credentials = Files.createTempFile("hostile", ".credentials");
        String hash = PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 1000);
        StringBuilder lines = new StringBuilder("CANARY " + hash + "\nOTHER "
                + PasswordHash.create("pw-other".getBytes(StandardCharsets.UTF_8), 1000) + "\n");
        for (int i = 0; i < 400; i++) {
            lines.append("H-").append(i).append(' ').append(hash).append('\n');
        }
        for (int i = 0; i < 20; i++) {
            lines.append("A-").append(i).append(' ').append(hash).append('\n'); // the auth cases', one each
        }
        Files.writeString(credentials, lines);
        try (GatewayProcesses gateway =
                new GatewayProcesses(GatewayProcesses.launcherJar(), kafka.bootstrapServers(), PREFIX)) {
            gateway.provisionTopics();
            Node edge = gateway.edge(
                            "edge-gateway-0",
                            Map.of(
                                    "OCPPGW_SECURITY_PROFILE",
                                    "1",
                                    "OCPPGW_CREDENTIALS_FILE",
                                    credentials.toString(),
                                    "OCPPGW_MAX_FRAME_BYTES",
                                    String.valueOf(MAX_FRAME),
                                    "OCPPGW_MAX_QUEUED_CALLS",
                                    "4"))
                    .start();
            await().atMost(Duration.ofSeconds(120)).until(edge::isReady);

            // The canary: a well-behaved charge point whose heartbeats must keep flowing throughout.
            OcppClient canary = OcppClient.connect(
                            edge.url(),
                            "CANARY",
                            OcppClient.Options.of(OcppVersion.OCPP_1_6).withPassword(PASSWORD))
                    .get(20, TimeUnit.SECONDS);
            AtomicBoolean attacking = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Long> heartbeatMillis = new ConcurrentLinkedQueue<>();
            Thread heartbeats = new Thread(() -> {
                while (attacking.get()) {
                    long start = System.nanoTime();
                    try {
                        canary.call("Heartbeat", JSON.objectNode()).get(10, TimeUnit.SECONDS);
                        heartbeatMillis.add((System.nanoTime() - start) / 1_000_000);
                        Thread.sleep(100);
                    } catch (Exception e) {
                        heartbeatMillis.add(Long.MAX_VALUE);
                    }
                }
            });
            heartbeats.start();
            Thread.sleep(1000);
            long fdsBefore = openFiles(edge);

            handshakeCases(edge);
            webSocketCases(edge);
            rpcCases(edge, OcppVersion.OCPP_1_6);
            rpcCases(edge, OcppVersion.OCPP_2_0_1);
            slowAndFloodCases(edge);

            attacking.set(false);
            heartbeats.join(20_000);
            assertThat(failures)
                    .as("cases that did not get their outcome, of " + cases)
                    .isEmpty();
            assertThat(cases).as("corpus size").isGreaterThanOrEqualTo(300);
            assertThat(edge.isAlive()).as("the pod never crashed").isTrue();
            assertThat(canary.isOpen()).as("the canary was never disconnected").isTrue();
            List<Long> latencies = new ArrayList<>(heartbeatMillis);
            latencies.sort(null);
            assertThat(latencies)
                    .as("canary heartbeats answered")
                    .hasSizeGreaterThan(20)
                    .doesNotContain(Long.MAX_VALUE);
            assertThat(latencies.get((int) (latencies.size() * 0.99) - 1))
                    .as("canary p99 ms: the IO threads never stalled")
                    .isLessThan(1000);
            canary.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> openFiles(edge) <= fdsBefore + 2);

            // Nothing of a peer refused at the handshake reached Kafka.
            Set<String> admitted = new HashSet<>();
            TopicContents.values(
                            kafka.bootstrapServers(), PREFIX + "cp-connections", JsonSerde.of(ConnectionEvent.class))
                    .forEach(c -> admitted.add(c.chargePointId()));
            TopicContents.values(kafka.bootstrapServers(), PREFIX + "ocpp-journal", JsonSerde.of(JournalEntry.class))
                    .forEach(e -> assertThat(admitted)
                            .as("journaled without being admitted")
                            .contains(e.chargePointId()));
            assertThat(admitted).as("refused identities").doesNotContain("OTHER", "..", "NOT-KNOWN", "h-0");
        }
    }

    // --- handshake: refused before any upgrade, nothing written anywhere ---

    private void handshakeCases(Node edge) throws Exception {
        String good = basic("H-0", PASSWORD);
        // Hostile identities, hand-written, then every control character.
        Map<String, Set<Integer>> identities = new LinkedHashMap<>();
        identities.put("..", Set.of(404));
        identities.put("%2e%2e", Set.of(404));
        identities.put("a%2Fb", Set.of(400));
        identities.put("%2F", Set.of(400));
        identities.put("a%3Ab", Set.of(400));
        identities.put("a%00b", Set.of(400));
        identities.put("a%0D%0AX-Injected:%201", Set.of(400));
        identities.put("x".repeat(49), Set.of(400));
        identities.put("x".repeat(5000), Set.of(414)); // past the request target limit, before the identity is read
        identities.put("%", Set.of(400, 404));
        identities.put("%zz", Set.of(400, 404));
        identities.put("%C0%AF", Set.of(400, 404));
        identities.put("h-0", Set.of(404));
        identities.put("H-0%20", Set.of(404));
        identities.put("NOT-KNOWN", Set.of(404));
        for (int c = 0; c < 0x20; c++) {
            identities.put(String.format("H%%%02X0", c), Set.of(400));
        }
        identities.put("H%7F0", Set.of(400));
        for (Map.Entry<String, Set<Integer>> id : identities.entrySet()) {
            expectStatus(
                    edge,
                    "identity " + id.getKey(),
                    "/ocpp/" + id.getKey(),
                    Map.of("Authorization", good, "Sec-WebSocket-Protocol", "ocpp1.6"),
                    id.getValue());
        }
        expectStatus(
                edge,
                "empty identity",
                "/ocpp/",
                Map.of("Authorization", good, "Sec-WebSocket-Protocol", "ocpp1.6"),
                Set.of(400, 404));
        expectStatus(
                edge,
                "nested path",
                "/ocpp/H-0/extra",
                Map.of("Authorization", good, "Sec-WebSocket-Protocol", "ocpp1.6"),
                Set.of(400, 404));
        expectStatus(
                edge,
                "other prefix",
                "/other/H-0",
                Map.of("Authorization", good, "Sec-WebSocket-Protocol", "ocpp1.6"),
                Set.of(400, 404));

        // Basic auth abuse: 401 with no detail. Each case its own identity: after a wrong password the
        // identity itself waits before its next check (429, below).
        Map<String, Function<String, String>> auth = new LinkedHashMap<>();
        auth.put("missing", id -> null);
        auth.put("not base64", id -> "Basic !!!not-base64!!!");
        auth.put("no colon", id -> "Basic " + b64(id + PASSWORD));
        auth.put("wrong password", id -> basic(id, "guess"));
        auth.put("another charge point's password", id -> basic(id, "pw-other"));
        auth.put("another charge point's name", id -> basic("OTHER", "pw-other"));
        auth.put("empty password", id -> basic(id, ""));
        auth.put("bearer", id -> "Bearer abc");
        auth.put("basic without value", id -> "Basic ");
        auth.put("large", id -> "Basic " + b64(id + ":" + "p".repeat(5_000)));
        // A NUL inside: refused. (A password followed only by NUL bytes equals the password: HMAC pads keys with
        // zeros, and PBKDF2-HMAC inherits it; 1.6 binary keys may end in 0x00, so such passwords are not refused.)
        auth.put("NUL in password", id -> basic(id, "pw-\0hostile"));
        int authCase = 0;
        for (Map.Entry<String, Function<String, String>> a : auth.entrySet()) {
            String identity = "A-" + authCase++;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Sec-WebSocket-Protocol", "ocpp1.6");
            headers.put("Authorization", a.getValue().apply(identity));
            expectStatus(edge, "auth " + a.getKey(), "/ocpp/" + identity, headers, Set.of(401));
        }
        // Guessing: the first wrong password costs a check; the next ones within the wait cost none.
        Map<String, String> guess =
                Map.of("Sec-WebSocket-Protocol", "ocpp1.6", "Authorization", basic("A-19", "guess-0"));
        expectStatus(edge, "first guess", "/ocpp/A-19", guess, Set.of(401));
        for (int i = 1; i <= 3; i++) {
            expectStatus(edge, "guess " + i + " right after", "/ocpp/A-19", guess, Set.of(429));
        }

        // Bad upgrade requests: never upgraded.
        Map<String, String> noKey = new LinkedHashMap<>();
        noKey.put("Sec-WebSocket-Key", null);
        noKey.put("Authorization", good);
        expectStatus(edge, "no Sec-WebSocket-Key", "/ocpp/H-0", noKey, Set.of(400, 426));
        expectStatus(
                edge,
                "websocket version 8",
                "/ocpp/H-0",
                Map.of("Sec-WebSocket-Version", "8", "Authorization", good),
                Set.of(400, 426));
        expectStatus(
                edge, "not an upgrade", "/ocpp/H-0", Map.of("Upgrade", "h2c", "Authorization", good), Set.of(400, 426));
        expectRaw(
                edge,
                "POST upgrade",
                "POST /ocpp/H-0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nAuthorization: "
                        + good + "\r\n\r\n",
                Set.of(400, 405, 426));
        expectRaw(edge, "garbage request line", "\u0000\u0001GARBAGE\r\n\r\n", Set.of(400, -1));
        expectRaw(edge, "HTTP/0.9", "GET /ocpp/H-0\r\n\r\n", Set.of(400, 505, -1));

        // Header bombs.
        expectStatus(
                edge,
                "one 2 MB header",
                "/ocpp/H-0",
                Map.of("X-Bomb", "b".repeat(2 << 20), "Authorization", good),
                Set.of(400, 431, -1));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            many.put("X-H" + i, "v");
        }
        many.put("Authorization", good);
        expectStatus(edge, "1000 headers", "/ocpp/H-0", many, Set.of(400, 431, -1));
        // Past the gate's request limits, inside Undertow's (the exact boundaries: EdgeRawSocketIT).
        expectStatus(
                edge,
                "a 2,100-byte target",
                "/ocpp/H-0?q=" + "q".repeat(2100),
                Map.of("Authorization", good, "Sec-WebSocket-Protocol", "ocpp1.6"),
                Set.of(414));
        Map<String, String> seventy = new LinkedHashMap<>();
        for (int i = 0; i < 70; i++) {
            seventy.put("X-F" + i, "v");
        }
        seventy.put("Authorization", good);
        expectStatus(edge, "70 header fields", "/ocpp/H-0", seventy, Set.of(431));
        expectStatus(
                edge,
                "9 KB of header fields",
                "/ocpp/H-0",
                Map.of("X-Pad", "p".repeat(9000), "Authorization", good),
                Set.of(431));
        expectStatus(
                edge,
                "a 20 KB password",
                "/ocpp/H-0",
                Map.of(
                        "Authorization",
                        "Basic " + b64("H-0:" + "p".repeat(20_000)),
                        "Sec-WebSocket-Protocol",
                        "ocpp1.6"),
                Set.of(431));
    }

    // --- WebSocket level: admitted, then closed with the specified code ---

    private void webSocketCases(Node edge) throws Exception {
        // Subprotocol abuse: none in common → upgraded without one, then closed 1002.
        for (String offered : List.of(
                "ocpp9.9",
                "",
                "OCPP1.6",
                "ocpp1.6x",
                "wamp, mqtt",
                "x".repeat(5000),
                "ocpp1.5,".repeat(300) + "ocpp0")) {
            caseOn(edge, "subprotocol '" + abbreviate(offered) + "'", offered, ws -> expectClose(ws, 1002));
        }
        caseOn(edge, "no subprotocol header", null, ws -> expectClose(ws, 1002));
        caseOn(edge, "duplicate good subprotocols", "ocpp1.6, ocpp1.6", ws -> {
            ws.sendText("[2,\"d\",\"Heartbeat\",{}]");
            return ws.readWithin(Duration.ofSeconds(10))
                    .map(f -> f.text().startsWith("[3,\"d\""))
                    .orElse(false);
        });
        caseOn(edge, "binary frame", "ocpp1.6", ws -> {
            ws.send(true, false, 2, new byte[] {1, 2, 3});
            return expectClose(ws, 1003);
        });
        caseOn(edge, "invalid UTF-8", "ocpp1.6", ws -> {
            ws.send(true, false, 1, new byte[] {'[', (byte) 0xC3, (byte) 0x28, ']'});
            return expectClose(ws, 1007);
        });
        caseOn(edge, "oversize frame", "ocpp1.6", ws -> {
            ws.sendText(
                    "[2,\"o\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":\"" + "x".repeat(MAX_FRAME + 10) + "\"}]");
            return expectClose(ws, 1009);
        });
        caseOn(edge, "endless fragments", "ocpp1.6", ws -> {
            byte[] chunk = "x".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            ws.send(false, false, 1, chunk);
            try {
                for (int i = 0; i < 40; i++) {
                    ws.send(false, false, 0, chunk);
                }
            } catch (IOException closedMidway) {
                // the server may close before the last fragment
            }
            return expectClose(ws, 1009);
        });
        caseOnDeflate(edge, "deflate bomb", ws -> {
            byte[] inflated = ("[2,\"b\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":\"" + " ".repeat(50 << 20)
                            + "\"}]")
                    .getBytes(StandardCharsets.US_ASCII);
            ws.send(true, true, 1, deflate(inflated));
            return expectClose(ws, 1009);
        });
    }

    // --- RPC level: the codec's and the catalogue's answers, and the session keeps working ---

    private void rpcCases(Node edge, OcppVersion version) throws Exception {
        OcppCodec oracle = new OcppCodec(new OcppCodec.Limits(64, MAX_FRAME));
        Map<String, Optional<String>> handWritten = new LinkedHashMap<>();
        boolean v16 = version == OcppVersion.OCPP_1_6;
        handWritten.put("[2,\"n1\",\"NoSuchAction\",{}]", Optional.of("NotImplemented"));
        handWritten.put("[2,\"n2\",\"Reset\",{\"type\":\"Soft\"}]", Optional.of("NotSupported"));
        handWritten.put(
                "[2,\"n3\",\"BootNotification\",{}]",
                Optional.of(v16 ? "OccurenceConstraintViolation" : "OccurrenceConstraintViolation"));
        handWritten.put(
                v16
                        ? "[2,\"n4\",\"BootNotification\",{\"chargePointVendor\":42,\"chargePointModel\":\"M\"}]"
                        : "[2,\"n4\",\"BootNotification\",{\"reason\":\"PowerUp\",\"chargingStation\":{\"model\":42,\"vendorName\":\"V\"}}]",
                Optional.of("TypeConstraintViolation"));
        handWritten.put(
                v16
                        ? "[2,\"n5\",\"BootNotification\",{\"chargePointVendor\":\"" + "v".repeat(100)
                                + "\",\"chargePointModel\":\"M\"}]"
                        : "[2,\"n5\",\"BootNotification\",{\"reason\":\"Bored\",\"chargingStation\":{\"model\":\"M\",\"vendorName\":\"V\"}}]",
                Optional.of("PropertyConstraintViolation"));
        handWritten.put(
                "[2,\"n6\",\"Heartbeat\",{\"extra\":1}]", Optional.of(v16 ? "FormationViolation" : "FormatViolation"));
        List<String> texts = new ArrayList<>(handWritten.keySet());
        // Malformed RPC, hand-written: the codec (unit-tested against the spec) says what must happen.
        texts.addAll(List.of(
                "hello",
                "{",
                "[",
                "[2,",
                "null",
                "123",
                "\"str\"",
                "[]",
                "{}",
                "[2]",
                "[2,\"a\"]",
                "[2,\"a\",\"Heartbeat\"]",
                "[2,\"a\",\"Heartbeat\",{},{}]",
                "[2,\"a\",\"Heartbeat\",[]]",
                "[2,\"a\",\"Heartbeat\",\"{}\"]",
                "[2,\"a\",7,{}]",
                "[2,123,\"Heartbeat\",{}]",
                "[2,null,\"Heartbeat\",{}]",
                "[2,\"\",\"Heartbeat\",{}]",
                "[2,\"" + "i".repeat(37) + "\",\"Heartbeat\",{}]",
                "[2,{},\"Heartbeat\",{}]",
                "[\"2\",\"a\",\"Heartbeat\",{}]",
                "[2.5,\"a\",\"Heartbeat\",{}]",
                "[2,\"a\",\"Heartbeat\",{}] trailing",
                "[2,\"a\",\"Heartbeat\",{\"a\":1,\"a\":2}]",
                "[2,\"a\",\"Heartbeat\",{\"x\":1e999999}]",
                "[2,\"a\",\"Heartbeat\",{\"x\":123456789012345678901234567890}]",
                "[3,\"unknown-id\",{}]",
                "[4,\"unknown-id\",\"GenericError\",\"\",{}]",
                "[" + "[".repeat(100) + "]".repeat(100) + "]",
                "[2,\"deep\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":" + "[".repeat(80) + "]".repeat(80) + "}]"));
        for (Object type : new Object[] {-1, 0, 1, 5, 6, 7, 10, 99, 1_000_000, "true", "null"}) {
            texts.add("[" + type + ",\"t\",\"Heartbeat\",{}]");
        }
        // Generated: random garbage, and valid frames with one byte deleted, inserted or replaced (seeded, so
        // reproducible).
        Random random = new Random(version.token().hashCode());
        for (int i = 0; i < 40; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = 1 + random.nextInt(40); n > 0; n--) {
                s.append((char) (32 + random.nextInt(95)));
            }
            texts.add(s.toString());
        }
        String valid = v16
                ? "[2,\"g\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]"
                : "[2,\"g\",\"StatusNotification\",{\"timestamp\":\"2026-11-25T10:00:00Z\",\"connectorStatus\":\"Available\",\"evseId\":1,\"connectorId\":1}]";
        String alphabet = "[]{}\",:0123456789abcXYZ \\";
        for (int i = 0; i < 60; i++) {
            StringBuilder s = new StringBuilder(valid);
            int at = random.nextInt(s.length());
            switch (i % 3) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(s.toString());
        }
        String identity = nextIdentity();
        try (RawWebSocket ws = RawWebSocket.upgrade(
                edge.wsPort,
                "/ocpp/" + identity,
                Map.of("Authorization", basic(identity, PASSWORD), "Sec-WebSocket-Protocol", version.token()))) {
            assertThat(ws.status).isEqualTo(101);
            int n = 0;
            for (String text : texts) {
                cases++;
                String sandwich = "hb-" + version.token() + "-" + n++;
                ws.sendText(text);
                ws.sendText("[2,\"" + sandwich + "\",\"Heartbeat\",{}]"); // also: CALLs before any boot are answered
                List<String> before = new ArrayList<>();
                boolean answered = false;
                while (!answered) {
                    Optional<RawWebSocket.Frame> f = ws.readWithin(Duration.ofSeconds(10));
                    if (f.isEmpty() || f.get().opcode() != RawWebSocket.Frame.TEXT) {
                        failures.add(version.token() + " " + abbreviate(text) + ": session broken ("
                                + f.map(RawWebSocket.Frame::closeCode) + ")");
                        return;
                    }
                    if (f.get().text().startsWith("[3,\"" + sandwich + "\"")) {
                        answered = true;
                    } else {
                        before.add(f.get().text());
                    }
                }
                String outcome = expected(oracle, version, text, handWritten);
                String got = before.isEmpty() ? "no answer" : describe(before.get(0));
                if (before.size() > 1 || !matches(outcome, got)) {
                    failures.add(
                            version.token() + " " + abbreviate(text) + ": expected " + outcome + ", got " + before);
                }
            }
        }
    }

    /** "no answer", "CALLERROR <code>", or "answer" (a valid frame: some CALLRESULT or CALLERROR to it). */
    private static String expected(
            OcppCodec oracle, OcppVersion version, String text, Map<String, Optional<String>> handWritten) {
        if (handWritten.containsKey(text)) {
            return "CALLERROR " + handWritten.get(text).orElseThrow();
        }
        DecodeResult r = oracle.decode(version, text);
        if (r instanceof DecodeResult.Reject reject) {
            return "CALLERROR " + reject.answer().errorCode();
        }
        if (r instanceof DecodeResult.Drop) {
            return "no answer";
        }
        OcppFrame frame = ((DecodeResult.Frame) r).frame();
        return frame instanceof OcppFrame.Call ? "answer" : "no answer"; // results to calls never made are dropped
    }

    private static String describe(String frame) {
        try {
            JsonNode n = JsonSerde.MAPPER.readTree(frame);
            return n.path(0).asInt() == 4
                    ? "CALLERROR " + n.path(2).asText()
                    : n.path(0).asInt() == 3 ? "CALLRESULT" : frame;
        } catch (IOException e) {
            return frame;
        }
    }

    private static boolean matches(String expected, String got) {
        return expected.equals("answer") ? got.startsWith("CALL") : expected.equals(got);
    }

    // --- slow handshakes and floods ---

    private void slowAndFloodCases(Node edge) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slow.add(pool.submit(() -> slowloris(edge)));
            }
            String identity = nextIdentity();
            try (RawWebSocket ws = RawWebSocket.upgrade(
                    edge.wsPort,
                    "/ocpp/" + identity,
                    Map.of("Authorization", basic(identity, PASSWORD), "Sec-WebSocket-Protocol", "ocpp1.6"))) {
                cases++;
                for (int i = 0; i < 200; i++) {
                    try {
                        ws.sendText("[2,\"f" + i + "\",\"Heartbeat\",{}]");
                    } catch (IOException closed) {
                        break;
                    }
                }
                record("call flood", expectClose(ws, 1008));
            }
            for (Future<Boolean> s : slow) {
                cases++;
                record("slow handshake", s.get(90, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends an upgrade request one byte every 300 ms: the server must hang up on it rather than wait forever. */
    private boolean slowloris(Node edge) throws IOException {
        String request = "GET /ocpp/H-0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "X-Slow: " + "s".repeat(400);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.wsPort)) {
            socket.setSoTimeout(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; i < request.length() && System.nanoTime() < deadline; i++) {
                try {
                    socket.getOutputStream().write(request.charAt(i));
                    socket.getOutputStream().flush();
                    if (socket.getInputStream().read() == -1) {
                        return true;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing from the server yet
                } catch (IOException closed) {
                    return true;
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    // --- plumbing ---

    private interface WsCase {
        boolean run(RawWebSocket ws) throws IOException;
    }

    private void caseOn(Node edge, String name, String subprotocol, WsCase body) throws IOException {
        cases++;
        String identity = nextIdentity();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", basic(identity, PASSWORD));
        if (subprotocol != null) {
            headers.put("Sec-WebSocket-Protocol", subprotocol);
        }
        try (RawWebSocket ws = RawWebSocket.upgrade(edge.wsPort, "/ocpp/" + identity, headers)) {
            record(name, ws.status == 101 && body.run(ws));
        }
    }

    private void caseOnDeflate(Node edge, String name, WsCase body) throws IOException {
        cases++;
        String identity = nextIdentity();
        try (RawWebSocket ws = RawWebSocket.upgrade(
                edge.wsPort,
                "/ocpp/" + identity,
                Map.of(
                        "Authorization",
                        basic(identity, PASSWORD),
                        "Sec-WebSocket-Protocol",
                        "ocpp1.6",
                        "Sec-WebSocket-Extensions",
                        "permessage-deflate; client_no_context_takeover"))) {
            boolean negotiated =
                    ws.headers.getOrDefault("sec-websocket-extensions", "").contains("permessage-deflate");
            record(name + " (deflate negotiated: " + negotiated + ")", ws.status == 101 && negotiated && body.run(ws));
        }
    }

    private static boolean expectClose(RawWebSocket ws, int code) throws IOException {
        return ws.awaitClose(Duration.ofSeconds(15)).map(c -> c == code).orElse(false);
    }

    private void expectStatus(Node edge, String name, String path, Map<String, String> headers, Set<Integer> statuses)
            throws IOException {
        cases++;
        try (RawWebSocket ws = RawWebSocket.upgrade(edge.wsPort, path, headers)) {
            record(name + " → " + ws.status, statuses.contains(ws.status));
        } catch (IOException refused) {
            record(name + " → " + refused, statuses.contains(-1));
        }
    }

    private void expectRaw(Node edge, String name, String request, Set<Integer> statuses) throws IOException {
        cases++;
        try (RawWebSocket ws = RawWebSocket.raw(edge.wsPort, request.getBytes(StandardCharsets.ISO_8859_1))) {
            record(name + " → " + ws.status, statuses.contains(ws.status));
        }
    }

    private void record(String name, boolean ok) {
        if (!ok) {
            failures.add(name);
        }
    }

    private String nextIdentity() {
        return "H-" + (1 + identities.getAndIncrement());
    }

    private static long openFiles(Node edge) throws IOException {
        try (var fds = Files.list(Path.of("/proc", String.valueOf(edge.pid()), "fd"))) {
            return fds.count();
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] compressed = out.toByteArray();
        // permessage-deflate drops the final empty block's 00 00 ff ff tail
        return compressed;
    }

    private static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
    }
}
