package io.ocppgw.route;

import io.ocppgw.support.streams.StateStores;
import io.ocppgw.topics.DownPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
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
 * on the partition of the pod a record names, and {@code command-results}.
 */
public final class RouterTopology {

    static final String ROUTER = "route-router";

    private RouterTopology() {
    }

    public static Topology build(RouteSettings settings, RouterMetrics metrics) {
        TopicNames t = settings.topics();
        Topology topology = new Topology();
        Serde<String> keys = Serdes.String();
        topology.addSource("cp-connections-source", keys.deserializer(), JsonSerde.of(ConnectionEvent.class), t.name(Topic.CP_CONNECTIONS));
        topology.addSource("commands-source", keys.deserializer(), JsonSerde.of(Command.class), t.name(Topic.COMMANDS));
        topology.addSource("command-status-source", keys.deserializer(), JsonSerde.of(DeliveryReport.class), t.name(Topic.COMMAND_STATUS));
        topology.addProcessor(ROUTER, () -> new RouterProcessor(settings, metrics),
                "cp-connections-source", "commands-source", "command-status-source");
        topology.addStateStore(StateStores.persistent(StoreNames.ROUTES, JsonSerde.of(Route.class)), ROUTER);
        topology.addStateStore(StateStores.persistent(StoreNames.LEDGER, JsonSerde.of(LedgerEntry.class)), ROUTER);
        topology.addStateStore(StateStores.persistent(StoreNames.OPEN_COUNTS, Serdes.Long()), ROUTER);
        topology.addStateStore(StateStores.persistent(StoreNames.INDEX, JsonSerde.of(CommandIndexEntry.class)), ROUTER);
        topology.addStateStore(StateStores.persistent(StoreNames.DEADLINES, Serdes.String()), ROUTER);
        topology.addStateStore(StateStores.persistent(StoreNames.INFLIGHT, Serdes.String()), ROUTER);
        topology.addGlobalStore(StateStores.persistent(StoreNames.LEASES, JsonSerde.of(PodLease.class)).withCachingDisabled().withLoggingDisabled(), "gateway-pods-source",
                keys.deserializer(), JsonSerde.of(PodLease.class), t.name(Topic.GATEWAY_PODS), "gateway-pods-updater",
                LeaseUpdater::new);
        topology.addSink(RouterProcessor.TO_COMMANDS_DOWN, t.name(Topic.COMMANDS_DOWN), keys.serializer(),
                anyAs(JsonSerde.of(RoutedCommand.class)), new PodPartitioner(), ROUTER);
        topology.addSink(RouterProcessor.TO_RESULTS, t.name(Topic.COMMAND_RESULTS), keys.serializer(),
                anyAs(JsonSerde.of(CommandResult.class)), ROUTER);
        return topology;
    }


    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> anyAs(Serializer<T> serializer) {
        return (topic, value) -> serializer.serialize(topic, (T) value);
    }

    /** Puts a RoutedCommand on the partition of the pod it names: the shared function of DESIGN §4, as the edge uses it. */
    static final class PodPartitioner implements StreamPartitioner<String, Object> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, Object value, int numPartitions) {
            RoutedCommand routed = (RoutedCommand) value;
            return Optional.of(Set.of(DownPartitions.partitionFor(routed.podId(), numPartitions)));
        }
    }

    /** Keeps the global lease store current; a tombstone removes a pod. */
    static final class LeaseUpdater implements Processor<String, PodLease, Void, Void> {
        private KeyValueStore<String, PodLease> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(StoreNames.LEASES);
        }

        @Override
        public void process(Record<String, PodLease> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
