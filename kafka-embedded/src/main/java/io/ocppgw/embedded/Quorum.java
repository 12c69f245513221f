package io.ocppgw.embedded;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The node's place in a multi-node KRaft cluster in which every node is broker and controller.
 *
 * @param nodeId          this node's id, a key of {@code controllerPorts}
 * @param clusterId       the id every node's storage is formatted with
 * @param controllerPorts every node's controller port on 127.0.0.1, by node id (the static voter set)
 */
public record Quorum(int nodeId, String clusterId, Map<Integer, Integer> controllerPorts) {

    public Quorum {
        Objects.requireNonNull(clusterId, "clusterId");
        controllerPorts = Map.copyOf(controllerPorts);
        if (!controllerPorts.containsKey(nodeId)) {
            throw new IllegalArgumentException(
                    "node " + nodeId + " is not among the voters " + controllerPorts.keySet());
        }
    }

    public int controllerPort() {
        return controllerPorts.get(nodeId);
    }

    public int size() {
        return controllerPorts.size();
    }

    /** {@code controller.quorum.voters}: {@code id@host:port,…} in node order. */
    public String voters() {
        return new TreeMap<>(controllerPorts)
                .entrySet().stream()
                        .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue())
                        .collect(Collectors.joining(","));
    }

    /** The {@code --controllers} argument of {@link EmbeddedKafkaMain}: {@code id=port,…}. */
    public String controllersArgument() {
        return new TreeMap<>(controllerPorts)
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** Reads {@link #controllersArgument()} back. */
    public static Map<Integer, Integer> parseControllers(String argument) {
        Map<Integer, Integer> ports = new TreeMap<>();
        for (String pair : argument.split(",")) {
            String[] parts = pair.trim().split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--controllers wants id=port,…; got '" + pair + "'");
            }
            ports.put(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        }
        return ports;
    }
}
