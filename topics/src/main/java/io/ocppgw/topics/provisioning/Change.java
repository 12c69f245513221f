package io.ocppgw.topics.provisioning;

import java.util.Map;

/** One difference between the desired and the existing topics, and what provisioning does about it. */
public sealed interface Change {

    String topicName();

    /** Missing: create it. */
    record Create(TopicSpec spec) implements Change {
        @Override
        public String topicName() {
            return spec.name();
        }
    }

    /** Managed configs differ: set them ({@code key -> [current, wanted]}; current null when unset). */
    record AlterConfigs(TopicSpec spec, Map<String, ConfigDiff> diffs) implements Change {
        public AlterConfigs {
            diffs = Map.copyOf(diffs);
        }

        @Override
        public String topicName() {
            return spec.name();
        }
    }

    /** Fewer partitions than wanted, and adding them is safe or was allowed. */
    record AddPartitions(TopicSpec spec, int from) implements Change {
        @Override
        public String topicName() {
            return spec.name();
        }
    }

    /** A difference provisioning will not fix; {@code apply} changes nothing while one exists. */
    record Refusal(String topicName, String reason) implements Change {}

    record ConfigDiff(String current, String wanted) {}
}
