package io.ocppgw.topics.provisioning;

import io.ocppgw.topics.TopicRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compares desired topics with what a cluster has and decides each change. Pure. */
public final class Planner {

    private Planner() {}

    public static ProvisioningPlan plan(
            ProvisioningSettings settings, Map<String, ExistingTopic> existing, int brokerCount) {
        List<TopicSpec> desired = TopicCatalogue.desired(settings);
        List<Change> changes = new ArrayList<>();
        List<String> inSync = new ArrayList<>();
        if (brokerCount < settings.replicationFactor()) {
            changes.add(new Change.Refusal(
                    "(cluster)",
                    "the cluster has " + brokerCount + " broker(s) but replication factor "
                            + settings.replicationFactor()
                            + " needs at least as many; use --profile dev or --replication-factor "
                            + Math.max(1, brokerCount)));
        }
        for (TopicSpec spec : desired) {
            ExistingTopic current = existing.get(spec.name());
            if (current == null) {
                changes.add(new Change.Create(spec));
                continue;
            }
            int before = changes.size();
            partitionChange(spec, current, settings.allowRepartition()).ifPresent(changes::add);
            if (current.replicationFactor() != spec.replicationFactor()) {
                changes.add(new Change.Refusal(
                        spec.name(),
                        "replication factor is " + current.replicationFactor() + ", wanted " + spec.replicationFactor()
                                + "; provisioning does not move replicas (use Kafka's partition reassignment)"));
            }
            Map<String, Change.ConfigDiff> diffs = new LinkedHashMap<>();
            spec.configs().forEach((key, wanted) -> {
                String has = current.configs().get(key);
                if (!wanted.equals(has)) {
                    diffs.put(key, new Change.ConfigDiff(has, wanted));
                }
            });
            if (!diffs.isEmpty()) {
                changes.add(new Change.AlterConfigs(spec, diffs));
            }
            if (changes.size() == before) {
                inSync.add(spec.name());
            }
        }
        return new ProvisioningPlan(desired, changes, inSync);
    }

    private static Optional<Change> partitionChange(TopicSpec spec, ExistingTopic current, boolean allowRepartition) {
        int has = current.partitions();
        int wanted = spec.partitions();
        if (has == wanted) {
            return Optional.empty();
        }
        if (has > wanted) {
            return Optional.of(new Change.Refusal(
                    spec.name(),
                    "has " + has + " partitions, wanted " + wanted
                            + "; Kafka cannot remove partitions"
                            + (spec.topic().role() == TopicRole.CHARGE_POINT_KEYED
                                    ? " (set --partitions " + has + " to match the existing chargePointId-keyed topics)"
                                    : "")));
        }
        return switch (spec.topic().role()) {
            case POD_PARTITIONED -> Optional.of(new Change.AddPartitions(spec, has));
            case SINGLE_PARTITION ->
                Optional.of(new Change.Refusal(spec.name(), "has " + has + " partitions but must have exactly 1"));
            case CHARGE_POINT_KEYED ->
                allowRepartition
                        ? Optional.of(new Change.AddPartitions(spec, has))
                        : Optional.of(
                                new Change.Refusal(
                                        spec.name(),
                                        "has " + has + " partitions, wanted " + wanted
                                                + ": changing it remaps chargePointId keys to other partitions (per-charge-point order and co-partitioned"
                                                + " joins break until old records age out); pass --allow-repartition to accept that"));
        };
    }
}
