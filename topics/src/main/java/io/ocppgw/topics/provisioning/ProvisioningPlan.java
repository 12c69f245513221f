package io.ocppgw.topics.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code apply} would do: the changes, the refusals that block it, and the topics already right. */
public record ProvisioningPlan(List<TopicSpec> desired, List<Change> changes, List<String> inSync) {

    public ProvisioningPlan {
        desired = List.copyOf(desired);
        changes = List.copyOf(changes);
        inSync = List.copyOf(inSync);
    }

    public List<Change.Refusal> refusals() {
        List<Change.Refusal> r = new ArrayList<>();
        for (Change c : changes) {
            if (c instanceof Change.Refusal refusal) {
                r.add(refusal);
            }
        }
        return r;
    }

    public boolean isRefused() {
        return !refusals().isEmpty();
    }

    /** No drift at all: verify passes, apply is a no-op. */
    public boolean isInSync() {
        return changes.isEmpty();
    }

    /** Human-readable, one line per topic or change, stable order. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (TopicSpec spec : desired) {
            List<Change> mine = changes.stream()
                    .filter(c -> c.topicName().equals(spec.name()))
                    .toList();
            if (mine.isEmpty()) {
                out.append(String.format("  ok       %-34s %s%n", spec.name(), summary(spec)));
            }
            for (Change c : mine) {
                out.append(line(c));
            }
        }
        changes.stream()
                .filter(c -> desired.stream().noneMatch(s -> s.name().equals(c.topicName())))
                .forEach(c -> out.append(line(c)));
        return out.toString();
    }

    private static String line(Change c) {
        if (c instanceof Change.Create create) {
            return String.format("  create   %-34s %s%n", create.topicName(), summary(create.spec()));
        }
        if (c instanceof Change.AlterConfigs alter) {
            StringBuilder diffs = new StringBuilder();
            alter.diffs().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> diffs.append(e.getKey())
                            .append(": ")
                            .append(e.getValue().current())
                            .append(" -> ")
                            .append(e.getValue().wanted())
                            .append("  "));
            return String.format(
                    "  alter    %-34s %s%n", alter.topicName(), diffs.toString().trim());
        }
        if (c instanceof Change.AddPartitions add) {
            return String.format(
                    "  extend   %-34s partitions: %d -> %d%n",
                    add.topicName(), add.from(), add.spec().partitions());
        }
        Change.Refusal refusal = (Change.Refusal) c;
        return String.format("  REFUSED  %-34s %s%n", refusal.topicName(), refusal.reason());
    }

    private static String summary(TopicSpec spec) {
        StringBuilder s =
                new StringBuilder("partitions=" + spec.partitions() + " replication=" + spec.replicationFactor());
        spec.configs().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        return s.toString();
    }
}
