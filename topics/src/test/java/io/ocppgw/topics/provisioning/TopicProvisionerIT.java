package io.ocppgw.topics.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@WithKafkaBroker
class TopicProvisionerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldCreateEveryTopicThenFindNothingToDoOnTheSecondApply(EmbeddedKafka kafka) throws Exception {
        var settings = ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, new TopicNames("create."));
        try (Admin admin = kafka.admin()) {
            var provisioner = new TopicProvisioner(admin, TIMEOUT);

            ProvisioningPlan first = provisioner.apply(settings);
            ProvisioningPlan second = provisioner.apply(settings);

            assertThat(first.changes()).hasSize(Topic.values().length);
            assertThat(second.isInSync()).isTrue();
            assertThat(provisioner.plan(settings).isInSync()).isTrue();
            var journal = admin.describeTopics(Set.of("create.ocpp-journal"))
                    .allTopicNames()
                    .get()
                    .get("create.ocpp-journal");
            assertThat(journal.partitions()).hasSize(4);
            var config = admin.describeConfigs(
                            List.of(new ConfigResource(ConfigResource.Type.TOPIC, "create.cp-connections")))
                    .all()
                    .get()
                    .values()
                    .iterator()
                    .next();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(Set.of("create.commands-down"))
                            .allTopicNames()
                            .get()
                            .get("create.commands-down")
                            .partitions())
                    .hasSize(8);
        }
    }

    @Test
    void shouldDetectConfigDriftAndRepairItOnApply(EmbeddedKafka kafka) throws Exception {
        var settings = ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, new TopicNames("drift."));
        try (Admin admin = kafka.admin()) {
            var provisioner = new TopicProvisioner(admin, TIMEOUT);
            provisioner.apply(settings);
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "drift.ocpp-journal");
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();

            // the broker applies config changes asynchronously; wait until it describes the drift
            ProvisioningPlan drift =
                    await().atMost(TIMEOUT).until(() -> provisioner.plan(settings), p -> !p.isInSync());

            assertThat(drift.isInSync()).isFalse();
            assertThat(drift.describe())
                    .contains("alter    drift.ocpp-journal")
                    .contains("retention.ms: 1000 -> 604800000");
            provisioner.apply(settings);
            assertThat(provisioner.plan(settings).isInSync()).isTrue();
        }
    }

    @Test
    void shouldRefuseAPartitionChangeOfChargePointTopicsAndChangeNothing(EmbeddedKafka kafka) throws Exception {
        var prefix = new TopicNames("repartition.");
        try (Admin admin = kafka.admin()) {
            var provisioner = new TopicProvisioner(admin, TIMEOUT);
            provisioner.apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, prefix));
            var moreP = new ProvisioningSettings(prefix, 8, 16, (short) 1, false);

            assertThatThrownBy(() -> provisioner.apply(moreP))
                    .isInstanceOf(ProvisioningRefusedException.class)
                    .hasMessageContaining("repartition.commands")
                    .hasMessageContaining("--allow-repartition");

            assertThat(admin.describeTopics(Set.of("repartition.commands", "repartition.commands-down"))
                            .allTopicNames()
                            .get())
                    .allSatisfy(
                            (name, d) -> assertThat(d.partitions()).as(name).hasSize(name.endsWith("down") ? 8 : 4));
        }
    }

    @Test
    void shouldAddPartitionsWhenTheOperatorAllowsIt(EmbeddedKafka kafka) throws Exception {
        var prefix = new TopicNames("allowed.");
        try (Admin admin = kafka.admin()) {
            var provisioner = new TopicProvisioner(admin, TIMEOUT);
            provisioner.apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, prefix));

            provisioner.apply(new ProvisioningSettings(prefix, 6, 8, (short) 1, true));

            assertThat(admin.describeTopics(Set.of("allowed.commands"))
                            .allTopicNames()
                            .get()
                            .get("allowed.commands")
                            .partitions())
                    .hasSize(6);
            assertThat(provisioner
                            .plan(new ProvisioningSettings(prefix, 6, 8, (short) 1, false))
                            .isInSync())
                    .isTrue();
        }
    }

    @Test
    void shouldRefuseProductionReplicationOnAOneBrokerCluster(EmbeddedKafka kafka) {
        try (Admin admin = kafka.admin()) {
            var provisioner = new TopicProvisioner(admin, TIMEOUT);

            assertThatThrownBy(() -> provisioner.apply(
                            ProvisioningSettings.of(ProvisioningSettings.Profile.PROD, new TopicNames("prod."))))
                    .isInstanceOf(ProvisioningRefusedException.class)
                    .hasMessageContaining("1 broker(s)");
        }
    }
}
