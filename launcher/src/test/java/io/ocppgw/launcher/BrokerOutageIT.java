package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.bench.GatewayProcesses;
import io.ocppgw.bench.GatewayProcesses.Node;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.Fleet;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.simulator.RawWebSocket;
import io.ocppgw.simulator.SimulatedChargePoint;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The broker (a child process) SIGKILLed under a running {@code ocppgw edge} process and restarted:
 * the edge closes sockets after its answer budget instead of answering CALLERROR, readiness and
 * upgrades go 503 and recover, charge points resend their queues, and every CALL a charge point saw
 * acknowledged is in the journal.
 */
class BrokerOutageIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void shouldCloseInsteadOfAnsweringWhileKafkaIsDownAndLoseNothingAcknowledged() throws Exception {
        int port = FreePorts.loopback();
        Path dir = Files.createTempDirectory("broker-outage");
        EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions());
        Fleet fleet = null;
        try (GatewayProcesses gateway =
                new GatewayProcesses(GatewayProcesses.launcherJar(), broker.bootstrapServers(), "outage.")) {
            gateway.provisionTopics();
            Node edge = gateway.edge("edge-gateway-0", Map.of("OCPPGW_ANSWER_BUDGET", "PT3S"))
                    .start();
            await().atMost(Duration.ofSeconds(120)).until(edge::isReady);
            fleet = new Fleet(new Fleet.Scenario(
                    edge.url(),
                    6,
                    OcppVersion.OCPP_1_6,
                    "BK-",
                    Optional.empty(),
                    20,
                    Duration.ofSeconds(30),
                    Duration.ofMillis(300),
                    4,
                    Duration.ofMillis(300)));
            fleet.start();
            Fleet running = fleet;
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> running.chargePoints().stream().allMatch(SimulatedChargePoint::isOnline)
                            && running.stats().snapshot().acked() > 30);
            OcppClient probe = OcppClient.connect(edge.url(), "BK-PROBE", OcppClient.Options.of(OcppVersion.OCPP_1_6))
                    .get(20, TimeUnit.SECONDS);

            broker.kill();
            CompletableFuture<OcppFrame> unanswered = probe.call("Heartbeat", JSON.objectNode());
            OcppClient.Closed closed = probe.closed().get(30, TimeUnit.SECONDS);
            assertThat(closed.code())
                    .as("closed after the budget, so the charge point retries")
                    .isEqualTo(1011);
            assertThat(unanswered).as("never a CALLERROR").isCompletedExceptionally();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> edge.get("/health/ready").status() == 503);
            try (RawWebSocket refused =
                    RawWebSocket.upgrade(edge.wsPort, "/ocpp/BK-NEW", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"))) {
                assertThat(refused.status)
                        .as("no new sessions while Kafka is down")
                        .isEqualTo(503);
                assertThat(refused.headers).containsKey("retry-after");
            }

            broker = EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions());
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> edge.get("/health/ready").status() == 200);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> running.chargePoints().stream().allMatch(cp -> cp.isOnline() && cp.queued() == 0));
            long deliveredAfter = running.stats().snapshot().acked();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> running.stats().snapshot().acked() > deliveredAfter + 10);
            fleet.close();
            assertThat(edge.isAlive()).as("the pod rode out the outage").isTrue();

            Set<String> journaled =
                    TopicContents.values(
                                    broker.bootstrapServers(), "outage.ocpp-journal", JsonSerde.of(JournalEntry.class))
                            .stream()
                            .filter(e -> "CALL".equals(e.messageType()))
                            .map(e -> e.chargePointId() + "/" + e.messageId())
                            .collect(Collectors.toSet());
            long acknowledged = 0;
            for (SimulatedChargePoint cp : fleet.chargePoints()) {
                for (SimulatedChargePoint.Delivered d : cp.delivered()) {
                    assertThat(journaled)
                            .as("acknowledged but not journaled")
                            .contains(cp.identity() + "/" + d.messageId());
                    acknowledged++;
                }
            }
            assertThat(acknowledged).isGreaterThan(40);
        } finally {
            if (fleet != null) {
                fleet.close();
            }
            broker.close();
        }
    }
}
