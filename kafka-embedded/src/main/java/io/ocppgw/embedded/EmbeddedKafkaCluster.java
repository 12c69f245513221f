package io.ocppgw.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of several child JVMs, each node broker and controller (the shape of a small
 * production cluster), with the replication production runs: three replicas of every topic the
 * brokers create, two in sync for a write. A node can be SIGKILLed and restarted on the same ports
 * and data, so a test sees what a lost broker really does to clients.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private final Path workDir;
    private final List<String> jvmOptions;
    private final Map<String, String> brokerConfig;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Map<Integer, Integer> clientPorts = new HashMap<>();
    private final Map<Integer, Integer> controllerPorts = new HashMap<>();
    private final Map<Integer, EmbeddedKafkaProcess> nodes = new HashMap<>();

    private EmbeddedKafkaCluster(int size, Path workDir, List<String> jvmOptions, Map<String, String> brokerConfig) {
        this.workDir = workDir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.brokerConfig = Map.copyOf(brokerConfig);
        for (int id = 1; id <= size; id++) {
            clientPorts.put(id, FreePorts.loopback());
            controllerPorts.put(id, FreePorts.loopback());
        }
    }

    /**
     * Starts {@code size} nodes at once (a quorum forms only when most of them run) and returns when
     * every one answers clients. Node ids are 1..size; each keeps its data under {@code workDir/node-<id>}.
     */
    public static EmbeddedKafkaCluster start(int size, Path workDir, List<String> jvmOptions) {
        return start(size, workDir, jvmOptions, Map.of());
    }

    /** As {@link #start(int, Path, List)}, with broker properties over the defaults on every node. */
    public static EmbeddedKafkaCluster start(
            int size, Path workDir, List<String> jvmOptions, Map<String, String> brokerConfig) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(size, workDir, jvmOptions, brokerConfig);
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            int node = id;
            starting.add(CompletableFuture.runAsync(() -> cluster.startNode(node)));
        }
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            cluster.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return cluster;
    }

    /** Every node's client address: what clients bootstrap from. */
    public String bootstrapServers() {
        return clientPorts.keySet().stream()
                .sorted()
                .map(id -> "127.0.0.1:" + clientPorts.get(id))
                .collect(Collectors.joining(","));
    }

    public int size() {
        return clientPorts.size();
    }

    /** Node ids, 1..size. */
    public List<Integer> nodeIds() {
        return IntStream.rangeClosed(1, size()).boxed().toList();
    }

    /** SIGKILL one node: no flush, no controlled shutdown, its leaderships move only once the controller fences it. */
    public synchronized void kill(int nodeId) {
        EmbeddedKafkaProcess process = nodes.remove(nodeId);
        if (process != null) {
            process.kill();
        }
    }

    /** Starts a stopped node again on its ports and data; returns once it answers clients. */
    public void restart(int nodeId) {
        synchronized (this) {
            if (nodes.containsKey(nodeId)) {
                throw new IllegalStateException("node " + nodeId + " still runs");
            }
        }
        startNode(nodeId);
    }

    public synchronized boolean isRunning(int nodeId) {
        EmbeddedKafkaProcess process = nodes.get(nodeId);
        return process != null && process.isAlive();
    }

    /**
     * Partitions with fewer in-sync replicas than replicas, over every topic. A broker lost while one
     * of its partitions has only it and one other in sync leaves that partition below
     * {@code min.insync.replicas}: unwritable until the broker is back.
     */
    public int underReplicatedPartitions() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
            var topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get(30, TimeUnit.SECONDS);
            return (int) admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(t -> t.partitions().stream())
                    .filter(p -> p.isr().size() < p.replicas().size())
                    .count();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the cluster's topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until every partition has all its replicas in sync, at most {@code timeout}; true if it got there. */
    public boolean awaitFullyReplicated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (underReplicatedPartitions() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(500);
        }
        return true;
    }

    /** The node's log file. */
    public Path log(int nodeId) {
        return nodeDir(nodeId).resolve("broker.log");
    }

    @Override
    public synchronized void close() {
        nodes.values().forEach(EmbeddedKafkaProcess::close);
        nodes.clear();
    }

    private void startNode(int nodeId) {
        Quorum quorum = new Quorum(nodeId, clusterId, controllerPorts);
        List<String> args = new ArrayList<>(List.of(
                "--node-id",
                String.valueOf(nodeId),
                "--cluster-id",
                clusterId,
                "--controllers",
                quorum.controllersArgument()));
        brokerConfig.forEach((key, value) -> args.addAll(List.of("--config", key + "=" + value)));
        EmbeddedKafkaProcess process =
                EmbeddedKafkaProcess.start(clientPorts.get(nodeId), nodeDir(nodeId), true, jvmOptions, args);
        synchronized (this) {
            nodes.put(nodeId, process);
        }
    }

    private Path nodeDir(int nodeId) {
        return workDir.resolve("node-" + nodeId);
    }
}
