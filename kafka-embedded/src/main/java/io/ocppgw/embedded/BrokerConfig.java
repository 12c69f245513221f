package io.ocppgw.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The broker properties of a KRaft node that is broker and controller in one process: a cluster of
 * its own, or one node of a {@link Quorum}. Pure.
 */
final class BrokerConfig {

    static final int NODE_ID = 1;

    private BrokerConfig() {}

    static Properties properties(int clientPort, int controllerPort, Path logDir, Map<String, String> overrides) {
        return properties(clientPort, new Quorum(NODE_ID, "", Map.of(NODE_ID, controllerPort)), logDir, overrides);
    }

    static Properties properties(int clientPort, Quorum quorum, Path logDir, Map<String, String> overrides) {
        int controllerPort = quorum.controllerPort();
        // what production runs with three or more brokers: three replicas, two of them in sync for a write
        String replicas = String.valueOf(Math.min(3, quorum.size()));
        String minIsr = quorum.size() >= 3 ? "2" : "1";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(quorum.nodeId()));
        p.put("controller.quorum.voters", quorum.voters());
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // Internal topics cannot have more replicas than there are brokers, or groups and Streams hang.
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("num.partitions", "1");
        // Topics come from provisioning; a typo in a topic name must fail, not create a new topic.
        p.put("auto.create.topics.enable", "false");
        // 2 MiB instead of 128 MiB of heap for the log cleaner.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.putAll(overrides);
        return p;
    }
}
