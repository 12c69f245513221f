package io.ocppgw.topics.provisioning;

import java.util.Map;

/** One topic as the cluster has it. */
public record ExistingTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {

    public ExistingTopic {
        configs = Map.copyOf(configs);
    }
}
