package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ocppgw.bench.GatewayProcesses;
import io.ocppgw.bench.GatewayProcesses.Node;
import io.ocppgw.embedded.EmbeddedKafkaCluster;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.simulator.TcpBalancer;
import io.ocppgw.topics.records.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The production topology on one machine, with the shipped defaults: a three-node KRaft cluster
 * (every topic three replicas, two in sync for a write), two edge pods behind a load balancer, two
 * route-streams instances with a standby each, reconciliation-streams, charge points that heartbeat
 * and answer commands, and a backend writing commands the whole time. Faults: one broker SIGKILLed
 * and back 20 s later; a route-streams instance SIGKILLed and kept dead; one SIGKILLed and restarted
 * 3 s later. After each: the command path's promise holds (see {@link CommandAudit}), every command
 * completes as it would have without the fault, every acknowledged CALL is journaled, and for the
 * broker loss the gateway closed no socket and refused no upgrade. The cluster and processes are
 * shared (starting them is most of the test's time), so the tests run in order, each fault on what
 * the ones before it left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    private static final String PREFIX = "cluster.";
    private static final int CHARGE_POINTS = 60;
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration BACKSTOP = TTL.plusSeconds(30 + 5 + 15);
    /** The longest a command may wait for its result through any of these faults (the target is 15 s; this leaves CI room). */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(40);
    /** The edge's shipped lease timing (the test fixture's default is a faster one). */
    private static final Map<String, String> SHIPPED_LEASE =
            Map.of("OCPPGW_LEASE_INTERVAL", "PT5S", "OCPPGW_LEASE_TTL", "PT15S");

    private EmbeddedKafkaCluster cluster;
    private GatewayProcesses gateway;
    private Node routeA;
    private Node routeB;
    private Node reconcile;
    private Node edge0;
    private Node edge1;
    private TcpBalancer balancer;
    private KafkaProducer<String, byte[]> backend;
    private ReconnectingFleet fleet;
    private CommandAudit audit;

    @BeforeAll
    void startTheGateway() throws Exception {
        Path work = Files.createTempDirectory("cluster-faults");
        cluster = EmbeddedKafkaCluster.start(3, work.resolve("kafka"), EmbeddedKafkaProcess.defaultJvmOptions());
        gateway = new GatewayProcesses(GatewayProcesses.launcherJar(), cluster.bootstrapServers(), PREFIX);
        gateway.provisionTopics(List.of("--replication-factor", "3"));
        Map<String, String> standby = Map.of("OCPPGW_STANDBY_REPLICAS", "1");
        routeA = gateway.route("route-a", standby).start();
        routeB = gateway.route("route-b", standby).start();
        reconcile = gateway.reconcile("reconcile-a").start();
        edge0 = gateway.edge("edge-gateway-0", SHIPPED_LEASE).start();
        edge1 = gateway.edge("edge-gateway-1", SHIPPED_LEASE).start();
        await().atMost(Duration.ofSeconds(240))
                .until(() -> edge0.isReady()
                        && edge1.isReady()
                        && routeA.isReady()
                        && routeB.isReady()
                        && reconcile.isReady());
        balancer = new TcpBalancer(List.of(edge0.wsPort, edge1.wsPort));
        backend = new KafkaProducer<>(
                Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all", "linger.ms", 1),
                new StringSerializer(),
                new ByteArraySerializer());
        // charge points answer a command after 1 s; a CALL of theirs unanswered for 30 s makes them reconnect
        fleet = new ReconnectingFleet(balancer::port, 1_000, 30);
        List<String> chargePoints = fleet.keepConnected("C-", CHARGE_POINTS);
        audit = new CommandAudit(cluster::bootstrapServers, PREFIX, backend, fleet, chargePoints, TTL, BACKSTOP);
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.online() == CHARGE_POINTS);
    }

    @AfterAll
    void stopTheGateway() {
        if (fleet != null) {
            fleet.close();
        }
        if (backend != null) {
            backend.close(Duration.ofSeconds(5));
        }
        if (balancer != null) {
            balancer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldRideOutABrokerKilledAndRestarted() throws Exception {
        // the loss the cluster is built for: every replica in sync (a follower lagging on a busy machine would
        // leave a partition below min.insync.replicas once the broker is gone)
        assertThat(cluster.awaitFullyReplicated(Duration.ofSeconds(120)))
                .as("all replicas in sync before the fault")
                .isTrue();
        fleet.resetCloses();
        int victim = busiestLeader();
        CommandAudit.Outcome outcome = audit.across("broker-", 100, () -> {
            cluster.kill(victim);
            Thread.sleep(20_000);
            cluster.restart(victim);
        });

        assertEveryCommandCompletedInTime(outcome);
        assertThat(fleet.gatewayCloses()).as("sockets the gateway closed").isEmpty();
        assertThat(fleet.refusedUpgrades()).as("upgrades the gateway refused").isZero();
        audit.assertAcknowledgedJournaled();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> routeA.isReady()
                        && routeB.isReady()
                        && reconcile.isReady()
                        && edge0.isReady()
                        && edge1.isReady());
    }

    @Test
    @Order(2)
    void shouldFailOverARouteStreamsInstanceKilledForGood() throws Exception {
        CommandAudit.Outcome outcome = audit.across("lost-route-", 100, () -> {
            routeB.kill9();
            Thread.sleep(20_000);
        });

        assertEveryCommandCompletedInTime(outcome);
        routeB.start();
        await().atMost(Duration.ofSeconds(120)).until(routeB::isReady);
    }

    @Test
    @Order(3)
    void shouldKeepRoutingWhenARouteStreamsInstanceIsKilledAndRestarted() throws Exception {
        long[] startToReady = new long[1];
        CommandAudit.Outcome outcome = audit.across("restarted-route-", 100, () -> {
            routeA.kill9();
            Thread.sleep(3_000);
            long started = System.nanoTime();
            routeA.start();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .until(routeA::isReady);
            startToReady[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        });
        System.out.println("restarted-route-: ready " + startToReady[0] + " ms after its start");

        assertEveryCommandCompletedInTime(outcome);
        assertThat(Duration.ofMillis(startToReady[0]))
                .as("a restart on its state directory to RUNNING")
                .isLessThan(Duration.ofSeconds(30));
    }

    private static void assertEveryCommandCompletedInTime(CommandAudit.Outcome outcome) {
        assertThat(outcome.byStatus())
                .as("what the commands' charge points were connected for")
                .containsOnlyKeys(CommandResult.Status.COMPLETED);
        assertThat(outcome.percentile(1.0)).as("longest wait for a result").isLessThan(LONGEST_WAIT);
    }

    /** The node that leads the most of the gateway's partitions: the loss that moves the most leaders. */
    private int busiestLeader() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(PREFIX))
                    .collect(Collectors.toSet());
            Map<Integer, Long> led =
                    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                            .map(TopicDescription::partitions)
                            .flatMap(List::stream)
                            .map(TopicPartitionInfo::leader)
                            .collect(Collectors.groupingBy(n -> n.id(), Collectors.counting()));
            return led.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .orElseThrow();
        }
    }
}
