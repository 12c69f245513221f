package io.ocppgw.topics.provisioning;

import io.ocppgw.topics.Topic;
import java.util.Map;

/** One topic as it should be. {@code configs} holds only the settings provisioning manages. */
public record TopicSpec(
        Topic topic, String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
