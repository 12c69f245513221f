package io.ocppgw.topics;

import java.time.Duration;
import java.util.Optional;

/**
 * The topics of the contract, with the base name, role, cleanup policy and retention
 * each must have. Names get the deployment's prefix through {@link TopicNames}.
 */
public enum Topic {
    CP_CONNECTIONS("cp-connections", TopicRole.CHARGE_POINT_KEYED, Cleanup.COMPACT, null),
    GATEWAY_PODS("gateway-pods", TopicRole.SINGLE_PARTITION, Cleanup.COMPACT, null),
    OCPP_JOURNAL("ocpp-journal", TopicRole.CHARGE_POINT_KEYED, Cleanup.DELETE, Duration.ofDays(7)),
    COMMANDS("commands", TopicRole.CHARGE_POINT_KEYED, Cleanup.DELETE, null),
    COMMANDS_DOWN("commands-down", TopicRole.POD_PARTITIONED, Cleanup.DELETE, Duration.ofHours(1)),
    COMMAND_STATUS("command-status", TopicRole.CHARGE_POINT_KEYED, Cleanup.DELETE, null),
    COMMAND_RESULTS("command-results", TopicRole.CHARGE_POINT_KEYED, Cleanup.DELETE, Duration.ofDays(7)),
    TRANSACTIONS("transactions", TopicRole.CHARGE_POINT_KEYED, Cleanup.COMPACT, null),
    RECONCILIATION_EVENTS("reconciliation-events", TopicRole.CHARGE_POINT_KEYED, Cleanup.DELETE, Duration.ofDays(7)),
    TRANSACTION_IDS("transaction-ids", TopicRole.SINGLE_PARTITION, Cleanup.DELETE, null),
    /** Records a reader could not use, copied raw, with headers saying where they came from and why. */
    DEAD_LETTERS("dead-letters", TopicRole.SINGLE_PARTITION, Cleanup.DELETE, Duration.ofDays(7));

    /** Kafka's {@code cleanup.policy} values used here. */
    public enum Cleanup {
        COMPACT("compact"),
        DELETE("delete");

        private final String value;

        Cleanup(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    private final String baseName;
    private final TopicRole role;
    private final Cleanup cleanup;
    private final Duration retention;

    Topic(String baseName, TopicRole role, Cleanup cleanup, Duration retention) {
        this.baseName = baseName;
        this.role = role;
        this.cleanup = cleanup;
        this.retention = retention;
    }

    public String baseName() {
        return baseName;
    }

    public TopicRole role() {
        return role;
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    /** Set retention; empty means the broker's default applies and is not managed. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }
}
