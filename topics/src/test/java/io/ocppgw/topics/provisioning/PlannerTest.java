package io.ocppgw.topics.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final ProvisioningSettings dev =
            ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, TopicNames.unprefixed());

    @Test
    void shouldCreateEveryTopicOnAnEmptyCluster() {
        ProvisioningPlan plan = Planner.plan(dev, Map.of(), 1);

        assertThat(plan.changes()).hasSize(Topic.values().length).allMatch(c -> c instanceof Change.Create);
        assertThat(plan.describe()).contains("create   ocpp-journal").contains("retention.ms=604800000");
    }

    @Test
    void shouldGiveEachTopicTheDesignsShape() {
        Map<String, TopicSpec> specs = new HashMap<>();
        TopicCatalogue.desired(dev).forEach(s -> specs.put(s.name(), s));

        assertThat(specs.get("cp-connections").partitions()).isEqualTo(4);
        assertThat(specs.get("cp-connections").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(specs.get("commands-down").partitions()).isEqualTo(8);
        assertThat(specs.get("commands-down").configs()).containsEntry("retention.ms", "3600000");
        assertThat(specs.get("gateway-pods").partitions()).isEqualTo(1);
        assertThat(specs.get("transaction-ids").partitions()).isEqualTo(1);
        assertThat(specs.get("transactions").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(specs.values())
                .allMatch(s ->
                        s.replicationFactor() == 1 && "1".equals(s.configs().get("min.insync.replicas")));
        var prod = TopicCatalogue.desired(
                ProvisioningSettings.of(ProvisioningSettings.Profile.PROD, TopicNames.unprefixed()));
        assertThat(prod)
                .allMatch(s ->
                        s.replicationFactor() == 3 && "2".equals(s.configs().get("min.insync.replicas")));
    }

    @Test
    void shouldChangeNothingWhenTheClusterMatches() {
        ProvisioningPlan plan = Planner.plan(dev, asExisting(dev), 1);

        assertThat(plan.isInSync()).isTrue();
        assertThat(plan.inSync()).hasSize(Topic.values().length);
    }

    @Test
    void shouldAlignDriftedConfigs() {
        Map<String, ExistingTopic> existing = asExisting(dev);
        existing.put(
                "ocpp-journal",
                new ExistingTopic(
                        "ocpp-journal",
                        4,
                        1,
                        Map.of("cleanup.policy", "delete", "retention.ms", "3600000", "min.insync.replicas", "1")));

        ProvisioningPlan plan = Planner.plan(dev, existing, 1);

        assertThat(plan.changes())
                .singleElement()
                .isInstanceOfSatisfying(
                        Change.AlterConfigs.class,
                        a -> assertThat(a.diffs())
                                .containsOnly(
                                        Map.entry("retention.ms", new Change.ConfigDiff("3600000", "604800000"))));
        assertThat(plan.isRefused()).isFalse();
    }

    @Test
    void shouldRefuseToRepartitionChargePointKeyedTopicsUnlessAllowed() {
        var moreP = new ProvisioningSettings(TopicNames.unprefixed(), 8, 8, (short) 1, false);

        ProvisioningPlan refused = Planner.plan(moreP, asExisting(dev), 1);

        assertThat(refused.isRefused()).isTrue();
        assertThat(refused.refusals())
                .hasSize(7)
                .allMatch(r -> r.reason().contains("remaps chargePointId keys")
                        && r.reason().contains("--allow-repartition"));

        var allowed = new ProvisioningSettings(TopicNames.unprefixed(), 8, 8, (short) 1, true);
        ProvisioningPlan plan = Planner.plan(allowed, asExisting(dev), 1);
        assertThat(plan.isRefused()).isFalse();
        assertThat(plan.changes()).hasSize(7).allMatch(c -> c instanceof Change.AddPartitions);
    }

    @Test
    void shouldRefuseToCreateMissingChargePointTopicsWithACountUnlikeTheExistingOnes() {
        Map<String, ExistingTopic> existing = asExisting(dev);
        existing.remove("commands");
        var otherP = new ProvisioningSettings(TopicNames.unprefixed(), 6, 8, (short) 1, false);

        ProvisioningPlan plan = Planner.plan(otherP, existing, 1);

        assertThat(plan.isRefused()).isTrue();
        assertThat(plan.refusals()).extracting(Change.Refusal::topicName).contains("cp-connections", "ocpp-journal");
    }

    @Test
    void shouldExtendCommandsDownWithoutAFlagButNeverShrinkAnything() {
        var moreD = new ProvisioningSettings(TopicNames.unprefixed(), 4, 16, (short) 1, false);
        assertThat(Planner.plan(moreD, asExisting(dev), 1).changes())
                .singleElement()
                .isEqualTo(new Change.AddPartitions(specOf(moreD, "commands-down"), 8));

        var fewerP = new ProvisioningSettings(TopicNames.unprefixed(), 2, 8, (short) 1, true);
        assertThat(Planner.plan(fewerP, asExisting(dev), 1).refusals())
                .allMatch(r -> r.reason().contains("cannot remove partitions"))
                .hasSize(7);
    }

    @Test
    void shouldRefuseAReplicationFactorTheClusterCannotHold() {
        var prod = ProvisioningSettings.of(ProvisioningSettings.Profile.PROD, TopicNames.unprefixed());

        ProvisioningPlan plan = Planner.plan(prod, Map.of(), 1);

        assertThat(plan.refusals())
                .singleElement()
                .satisfies(r -> assertThat(r.reason())
                        .contains("1 broker(s)")
                        .contains("replication factor 3")
                        .contains("--profile dev"));
    }

    @Test
    void shouldReportAReplicationFactorMismatchItWillNotFix() {
        Map<String, ExistingTopic> existing = asExisting(dev);
        existing.put(
                "commands",
                new ExistingTopic(
                        "commands", 4, 2, TopicCatalogue.desired(dev).get(3).configs()));

        assertThat(Planner.plan(dev, existing, 3).refusals())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("replication factor is 2, wanted 1"));
    }

    private static TopicSpec specOf(ProvisioningSettings s, String name) {
        return TopicCatalogue.desired(s).stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, ExistingTopic> asExisting(ProvisioningSettings settings) {
        Map<String, ExistingTopic> m = new HashMap<>();
        for (TopicSpec s : TopicCatalogue.desired(settings)) {
            Map<String, String> configs = new HashMap<>(s.configs());
            configs.put("segment.bytes", "1073741824"); // unmanaged settings are left alone
            m.put(s.name(), new ExistingTopic(s.name(), s.partitions(), s.replicationFactor(), configs));
        }
        return m;
    }
}
