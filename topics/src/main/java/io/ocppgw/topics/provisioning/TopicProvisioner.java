package io.ocppgw.topics.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/** Reads the cluster's topics and applies a plan, with Kafka's Admin client. */
public final class TopicProvisioner {

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Observes the cluster and plans against it. */
    public ProvisioningPlan plan(ProvisioningSettings settings) {
        Set<String> names =
                TopicCatalogue.desired(settings).stream().map(TopicSpec::name).collect(Collectors.toSet());
        return Planner.plan(settings, existing(names), brokerCount());
    }

    /**
     * Plans, then makes the changes. Refuses (changing nothing) if the plan has a refusal. Returns the
     * plan that was carried out; applying an in-sync plan does nothing.
     */
    public ProvisioningPlan apply(ProvisioningSettings settings) {
        ProvisioningPlan plan = plan(settings);
        if (plan.isRefused()) {
            throw new ProvisioningRefusedException(plan);
        }
        List<NewTopic> creates = new ArrayList<>();
        Map<ConfigResource, Collection<AlterConfigOp>> alters = new HashMap<>();
        Map<String, NewPartitions> extensions = new HashMap<>();
        for (Change c : plan.changes()) {
            if (c instanceof Change.Create create) {
                TopicSpec s = create.spec();
                creates.add(new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()));
            } else if (c instanceof Change.AlterConfigs alter) {
                alters.put(
                        new ConfigResource(ConfigResource.Type.TOPIC, alter.topicName()),
                        alter.diffs().entrySet().stream()
                                .map(e -> new AlterConfigOp(
                                        new ConfigEntry(e.getKey(), e.getValue().wanted()), AlterConfigOp.OpType.SET))
                                .toList());
            } else if (c instanceof Change.AddPartitions add) {
                extensions.put(
                        add.topicName(), NewPartitions.increaseTo(add.spec().partitions()));
            }
        }
        if (!creates.isEmpty()) {
            await(admin.createTopics(creates).all(), "create topics");
        }
        if (!alters.isEmpty()) {
            await(admin.incrementalAlterConfigs(alters).all(), "alter topic configs");
        }
        if (!extensions.isEmpty()) {
            await(admin.createPartitions(extensions).all(), "add partitions");
        }
        if (!plan.isInSync()) {
            awaitConverged(settings);
        }
        return plan;
    }

    /**
     * Topic metadata reaches every broker a little after the controller accepted a change; wait
     * until the cluster describes what was applied, so a {@code verify} right after passes.
     */
    private void awaitConverged(ProvisioningSettings settings) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProvisioningPlan remaining = plan(settings);
        while (!remaining.isInSync()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not reflect the applied changes within " + timeout
                        + "; still differing:\n" + remaining.describe());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic metadata", e);
            }
            remaining = plan(settings);
        }
    }

    private int brokerCount() {
        return await(admin.describeCluster().nodes(), "describe cluster").size();
    }

    private Map<String, ExistingTopic> existing(Set<String> wanted) {
        Set<String> present = await(admin.listTopics().names(), "list topics").stream()
                .filter(wanted::contains)
                .collect(Collectors.toSet());
        if (present.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(present).allTopicNames(), "describe topics");
        List<ConfigResource> resources = present.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs =
                await(admin.describeConfigs(resources).all(), "describe topic configs");
        Map<String, ExistingTopic> result = new HashMap<>();
        for (String name : present) {
            TopicDescription d = descriptions.get(name);
            Map<String, String> values = new HashMap<>();
            for (ConfigEntry e : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .entries()) {
                if (e.value() != null) {
                    values.put(e.name(), e.value());
                }
            }
            int replication = d.partitions().isEmpty()
                    ? 0
                    : d.partitions().get(0).replicas().size();
            result.put(name, new ExistingTopic(name, d.partitions().size(), replication, values));
        }
        return result;
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer from the cluster within " + timeout, e);
        }
    }
}
