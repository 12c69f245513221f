package io.ocppgw.topics.provisioning;

import io.ocppgw.topics.TopicNames;

/**
 * What the topics should look like: P partitions for every chargePointId-keyed topic, D for
 * {@code commands-down}, one replication factor.
 *
 * @param allowRepartition the operator accepts that adding partitions to chargePointId-keyed topics
 *                         remaps keys (per-charge-point order and co-located state break for a while)
 */
public record ProvisioningSettings(
        TopicNames names,
        int chargePointPartitions,
        int downPartitions,
        short replicationFactor,
        boolean allowRepartition) {

    public static final int DEV_P = 4;
    public static final int DEV_D = 8;
    public static final int PROD_P = 32;
    public static final int PROD_D = 128;

    public ProvisioningSettings {
        if (chargePointPartitions < 1) {
            throw new IllegalArgumentException("partitions (P) must be >= 1, was " + chargePointPartitions);
        }
        if (downPartitions < 1) {
            throw new IllegalArgumentException("down-partitions (D) must be >= 1, was " + downPartitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication-factor must be >= 1, was " + replicationFactor);
        }
    }

    public enum Profile {
        /** One broker on a laptop: P=4, D=8, RF=1. */
        DEV,
        /** A real cluster: P=32, D=128, RF=3, min.insync.replicas=2. */
        PROD
    }

    public static ProvisioningSettings of(Profile profile, TopicNames names) {
        return profile == Profile.DEV
                ? new ProvisioningSettings(names, DEV_P, DEV_D, (short) 1, false)
                : new ProvisioningSettings(names, PROD_P, PROD_D, (short) 3, false);
    }

    /** min.insync.replicas for the chosen replication: 2 once there are 3 replicas, else 1. */
    public int minInsyncReplicas() {
        return replicationFactor >= 3 ? 2 : 1;
    }
}
