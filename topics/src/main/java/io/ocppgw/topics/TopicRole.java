package io.ocppgw.topics;

/** How a topic's partition count is chosen, and what changing it would break. */
public enum TopicRole {
    /** Keyed by chargePointId with P partitions; all such topics must be co-partitioned (same P). */
    CHARGE_POINT_KEYED,
    /** {@code commands-down}: D partitions, one per edge pod ordinal. */
    POD_PARTITIONED,
    /** Exactly one partition (a global table, a sequence). */
    SINGLE_PARTITION
}
