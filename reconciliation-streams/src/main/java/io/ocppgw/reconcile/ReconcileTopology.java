package io.ocppgw.reconcile;

import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.support.streams.StateStores;
import io.ocppgw.topics.ChargePointPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PayloadRedaction;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * reconciliation-streams as a pure builder: no KafkaStreams, no environment. {@code ocpp-journal} feeds
 * one processor that keeps a book per charge point; it writes the latest state of every transaction
 * it changes to {@code transactions} (compacted, key chargePointId:transactionId) and what a backend
 * must know to {@code reconciliation-events}. Both outputs are keyed so that they stay on the charge
 * point's partition: {@code transactions} through its own partitioner on the key's charge point part.
 * A second processor on the same input keeps each charge point's latest frames for the query API.
 */
public final class ReconcileTopology {

    static final String PROCESSOR = "reconcile-transactions";
    static final String FRAMES_PROCESSOR = "reconcile-recent-frames";
    static final String TO_TRANSACTIONS = "transactions-sink";
    static final String TO_EVENTS = "reconciliation-events-sink";

    private ReconcileTopology() {}

    public static Topology build(ReconcileSettings settings, ReconcileMetrics metrics, CommitPacing pacing) {
        TopicNames t = settings.topics();
        Serde<String> keys = Serdes.String();
        Topology topology = new Topology();
        topology.addSource(
                "ocpp-journal-source",
                keys.deserializer(),
                JsonSerde.of(JournalEntry.class),
                t.name(Topic.OCPP_JOURNAL));
        topology.addProcessor(
                PROCESSOR, () -> new ReconcileProcessor(settings, metrics, pacing), "ocpp-journal-source");
        topology.addStateStore(
                StateStores.persistent(StoreNames.BOOKS, JsonSerde.of(ChargePointBook.class)), PROCESSOR);
        topology.addStateStore(
                StateStores.persistent(StoreNames.RECENT_EVENTS, JsonSerde.of(RecentEvents.class)), PROCESSOR);
        topology.addStateStore(StateStores.persistent(StoreNames.DEADLINES, Serdes.String()), PROCESSOR);
        RecentFrames frames = new RecentFrames(settings.recentFrames(), new PayloadRedaction(settings.redactedNames()));
        topology.addProcessor(FRAMES_PROCESSOR, () -> new RecentFramesProcessor(frames), "ocpp-journal-source");
        topology.addStateStore(
                StateStores.persistent(StoreNames.RECENT_FRAMES, JsonSerde.of(RecentFrames.Frame.class)),
                FRAMES_PROCESSOR);
        topology.addSink(
                TO_TRANSACTIONS,
                t.name(Topic.TRANSACTIONS),
                keys.serializer(),
                anyAs(JsonSerde.of(TransactionState.class)),
                new ChargePointPartitioner(),
                PROCESSOR);
        topology.addSink(
                TO_EVENTS,
                t.name(Topic.RECONCILIATION_EVENTS),
                keys.serializer(),
                anyAs(JsonSerde.of(ReconciliationEvent.class)),
                PROCESSOR);
        return topology;
    }

    /**
     * Puts a {@code chargePointId:transactionId} key where Kafka's default partitioner puts the charge
     * point id alone, so a charge point's transactions share its partition in every keyed topic.
     */
    static final class ChargePointPartitioner implements StreamPartitioner<String, Object> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, Object value, int numPartitions) {
            return Optional.of(Set.of(ChargePointPartitions.of(TransactionKey.chargePointId(key), numPartitions)));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> anyAs(Serializer<T> serializer) {
        return (topic, value) -> value == null ? null : serializer.serialize(topic, (T) value);
    }
}
