package io.ocppgw.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start an embedded broker.
 *
 * @param port       client port on 127.0.0.1; 0 picks a free one
 * @param dataDir    where logs and metadata live and survive a restart; empty: a temporary
 *                   directory deleted on close
 * @param overrides  broker properties that win over the defaults (e.g. {@code auto.create.topics.enable})
 * @param quorum     this node's place in a multi-node cluster; empty: a one-node cluster (then
 *                   {@code port} 0 is allowed, and the controller port is picked freely)
 */
public record BrokerSettings(int port, Optional<Path> dataDir, Map<String, String> overrides, Optional<Quorum> quorum) {

    public BrokerSettings {
        Objects.requireNonNull(quorum, "quorum");
        if (quorum.isPresent() && port == 0) {
            throw new IllegalArgumentException("a node of a multi-node cluster needs a fixed port: the others know it");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        overrides = Map.copyOf(overrides);
    }

    /** A throw-away broker on a free port: what tests want. */
    public static BrokerSettings ephemeral() {
        return new BrokerSettings(0, Optional.empty(), Map.of(), Optional.empty());
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(newPort, dataDir, overrides, quorum);
    }

    public BrokerSettings withDataDir(Path dir) {
        return new BrokerSettings(port, Optional.of(dir), overrides, quorum);
    }

    public BrokerSettings withOverride(String key, String value) {
        var m = new java.util.HashMap<>(overrides);
        m.put(key, value);
        return new BrokerSettings(port, dataDir, m, quorum);
    }

    public BrokerSettings withQuorum(Quorum q) {
        return new BrokerSettings(port, dataDir, overrides, Optional.of(q));
    }
}
