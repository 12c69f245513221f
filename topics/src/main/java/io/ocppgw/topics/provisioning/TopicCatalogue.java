package io.ocppgw.topics.provisioning;

import io.ocppgw.topics.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The topic contract as data: the desired spec of every topic for given settings. Pure. */
public final class TopicCatalogue {

    private TopicCatalogue() {}

    public static List<TopicSpec> desired(ProvisioningSettings settings) {
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            int partitions = switch (topic.role()) {
                case CHARGE_POINT_KEYED -> settings.chargePointPartitions();
                case POD_PARTITIONED -> settings.downPartitions();
                case SINGLE_PARTITION -> 1;
            };
            Map<String, String> configs = new LinkedHashMap<>();
            configs.put("cleanup.policy", topic.cleanup().value());
            topic.retention().ifPresent(r -> configs.put("retention.ms", String.valueOf(r.toMillis())));
            configs.put("min.insync.replicas", String.valueOf(settings.minInsyncReplicas()));
            specs.add(new TopicSpec(
                    topic, settings.names().name(topic), partitions, settings.replicationFactor(), configs));
        }
        return List.copyOf(specs);
    }
}
