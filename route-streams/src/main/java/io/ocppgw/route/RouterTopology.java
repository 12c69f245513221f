package io.ocppgw.route;

import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.support.streams.StateStores;
import io.ocppgw.topics.DownPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.commands.CommandCheck;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.RoutedCommand;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * route-streams as a pure builder: no KafkaStreams, no environment. Three co-partitioned inputs
 * ({@code cp-connections}, {@code commands}, {@code command-status}) feed one processor that owns the
 * route table and the ledger; {@code gateway-pods} is a global store. Outputs: {@code commands-down},
 * on the partition of the pod a record names, {@code command-results}, and {@code commands} itself for
 * a command that came on a partition its key does not hash to.
 */
public final class RouterTopology {

    static final String ROUTER = "route-router";

    private RouterTopology() {}

    public static Topology build(RouteSettings settings, RouterMetrics metrics, CommitPacing pacing) {
        TopicNames t = settings.topics();
        CommandRules rules =
                new CommandRules(settings, new CommandCheck(new SchemaValidator(), settings.maxPayloadBytes()));
        Topology topology = new Topology();
        Serde<String> keys = Serdes.String();
        topology.addSource(
                "cp-connections-source",
                keys.deserializer(),
                JsonSerde.of(ConnectionEvent.class),
                t.name(Topic.CP_CONNECTIONS));
        topology.addSource(
                "commands-source", keys.deserializer(), new IncomingCommand.Reader(), t.name(Topic.COMMANDS));
        topology.addSource(
                "command-status-source",
                keys.deserializer(),
                JsonSerde.of(DeliveryReport.class),
                t.name(Topic.COMMAND_STATUS));
        topology.addProcessor(
                ROUTER,
                () -> new RouterProcessor(settings, rules, metrics, pacing),
                "cp-connections-source",
                "commands-source",
                "command-status-source");
        topology.addStateStore(StateStores.persistent(StoreNames.ROUTES, new StoreValues.Routes()), ROUTER);
        topology.addStateStore(StateStores.persistent(StoreNames.LEDGER, new StoreValues.Ledger()), ROUTER);
        topology.addStateStore(StateStores.persistentUncached(StoreNames.OUTCOMES, new StoreValues.Outcomes()), ROUTER);
        // A global store has no task: its thread dies on a record it cannot read, and cannot be replaced. So
        // leases are read leniently, and the updater counts and skips what it cannot use.
        topology.addGlobalStore(
                StateStores.inMemoryGlobal(StoreNames.LEASES, StoreValues.leases()),
                "gateway-pods-source",
                keys.deserializer(),
                new LeaseReader(),
                t.name(Topic.GATEWAY_PODS),
                "gateway-pods-updater",
                () -> new LeaseUpdater(metrics));
        topology.addSink(
                RouterProcessor.TO_COMMANDS_DOWN,
                t.name(Topic.COMMANDS_DOWN),
                keys.serializer(),
                anyAs(JsonSerde.of(RoutedCommand.class)),
                new PodPartitioner(),
                ROUTER);
        topology.addSink(
                RouterProcessor.TO_RESULTS,
                t.name(Topic.COMMAND_RESULTS),
                keys.serializer(),
                anyAs(JsonSerde.of(CommandResult.class)),
                ROUTER);
        // no partitioner: the producer's default puts the key where every other writer of commands should have
        topology.addSink(
                RouterProcessor.TO_COMMANDS,
                t.name(Topic.COMMANDS),
                keys.serializer(),
                anyAs(JsonSerde.of(Command.class)),
                ROUTER);
        return topology;
    }

    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> anyAs(Serializer<T> serializer) {
        return (topic, value) -> serializer.serialize(topic, (T) value);
    }

    /** Puts a RoutedCommand on the partition of the pod it names, by the function the edge uses to know its own. */
    static final class PodPartitioner implements StreamPartitioner<String, Object> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, Object value, int numPartitions) {
            RoutedCommand routed = (RoutedCommand) value;
            return Optional.of(Set.of(DownPartitions.partitionFor(routed.podId(), numPartitions)));
        }
    }

    /** A record of {@code gateway-pods}: a lease, or what made it unreadable. */
    record IncomingLease(PodLease lease, String problem) {}

    /** Reads leases without ever throwing (see the global store above). */
    static final class LeaseReader implements org.apache.kafka.common.serialization.Deserializer<IncomingLease> {
        private final JsonSerde<PodLease> json = JsonSerde.of(PodLease.class);

        @Override
        public IncomingLease deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                return new IncomingLease(json.deserialize(topic, data), null);
            } catch (RuntimeException e) {
                return new IncomingLease(null, e.getClass().getSimpleName());
            }
        }
    }

    /** Keeps the global lease store current; a tombstone removes a pod; a lease it cannot use is counted and skipped. */
    static final class LeaseUpdater implements Processor<String, IncomingLease, Void, Void> {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaseUpdater.class);
        private final RouterMetrics metrics;
        private KeyValueStore<String, PodLease> store;
        private ProcessorContext<Void, Void> context;

        LeaseUpdater(RouterMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            store = context.getStateStore(StoreNames.LEASES);
        }

        @Override
        public void process(Record<String, IncomingLease> record) {
            if (record.key() == null) {
                skip("unusable", "a lease without a key");
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            PodLease lease = record.value().lease();
            if (lease == null) {
                skip("unreadable", record.value().problem());
                return;
            }
            if (!record.key().equals(lease.podId())
                    || lease.state() == null
                    || lease.renewedAt() == null
                    || lease.expiresAt() == null) {
                skip("unusable", "a lease without podId (equal to its key), state, renewedAt or expiresAt");
                return;
            }
            store.put(record.key(), lease);
        }

        private void skip(String problem, String why) {
            var where = context.recordMetadata();
            metrics.badRecord(where.map(m -> m.topic()).orElse("gateway-pods"), problem);
            LOG.atWarn()
                    .setMessage("a pod lease that cannot be used was skipped (a global store dead-letters nothing)")
                    .addKeyValue("topic", where.map(m -> m.topic()).orElse(null))
                    .addKeyValue("partition", where.map(m -> m.partition()).orElse(null))
                    .addKeyValue("offset", where.map(m -> m.offset()).orElse(null))
                    .addKeyValue("problem", why)
                    .log();
        }
    }
}
