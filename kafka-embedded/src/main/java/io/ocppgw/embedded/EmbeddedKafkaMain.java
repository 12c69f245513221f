package io.ocppgw.embedded;

import java.nio.file.Path;

/**
 * Entry point of the child-process broker: {@code --port N} (0 = free port) and {@code --data-dir DIR}
 * (absent = temporary); for a node of a multi-node cluster also {@code --node-id N},
 * {@code --cluster-id ID} and {@code --controllers id=port,…} (see {@link Quorum}); {@code --config key=value},
 * repeated, sets broker properties over the defaults. Prints {@value #READY_MARKER} and the bootstrap
 * address on one line once clients can connect; stops cleanly on SIGTERM.
 */
public final class EmbeddedKafkaMain {

    public static final String READY_MARKER = "EMBEDDED_KAFKA_READY";

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        BrokerSettings settings = BrokerSettings.ephemeral();
        Integer nodeId = null;
        String clusterId = null;
        String controllers = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> settings = settings.withPort(Integer.parseInt(require(args[i], value)));
                case "--data-dir" -> settings = settings.withDataDir(Path.of(require(args[i], value)));
                case "--node-id" -> nodeId = Integer.parseInt(require(args[i], value));
                case "--cluster-id" -> clusterId = require(args[i], value);
                case "--controllers" -> controllers = require(args[i], value);
                case "--config" -> {
                    String property = require(args[i], value);
                    int eq = property.indexOf('=');
                    if (eq < 1) {
                        System.err.println("--config '" + property + "': must be key=value");
                        System.exit(2);
                    }
                    settings = settings.withOverride(property.substring(0, eq), property.substring(eq + 1));
                }
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; expected --port N, --data-dir DIR, --node-id N, --cluster-id ID,"
                            + " --controllers id=port,..., --config key=value");
                    System.exit(2);
                }
            }
            i++;
        }
        if (nodeId != null || clusterId != null || controllers != null) {
            if (nodeId == null || clusterId == null || controllers == null) {
                System.err.println("a cluster node needs all of --node-id, --cluster-id and --controllers");
                System.exit(2);
            }
            settings = settings.withQuorum(new Quorum(nodeId, clusterId, Quorum.parseControllers(controllers)));
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(settings);
        System.out.println(READY_MARKER + " " + kafka.bootstrapServers());
        System.out.flush();
        kafka.runUntilJvmShutdown();
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
