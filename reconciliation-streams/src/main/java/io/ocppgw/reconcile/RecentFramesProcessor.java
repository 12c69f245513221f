package io.ocppgw.reconcile;

import io.ocppgw.topics.records.JournalEntry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each charge point's latest journal frames ({@link RecentFrames}) beside the transaction books,
 * from the same input. The next frame number of a charge point is remembered in memory and, after a
 * restart or a move of the partition, read once from the store.
 */
final class RecentFramesProcessor implements Processor<String, JournalEntry, Void, Void> {

    private final RecentFrames rules;
    private final Map<String, Long> nextSeq = new HashMap<>();
    private KeyValueStore<String, RecentFrames.Frame> store;

    RecentFramesProcessor(RecentFrames rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.RECENT_FRAMES);
    }

    @Override
    public void process(Record<String, JournalEntry> record) {
        JournalEntry e = record.value();
        if (!rules.enabled() || e == null || e.chargePointId() == null) {
            return;
        }
        long seq = nextSeq.computeIfAbsent(e.chargePointId(), this::afterStored);
        store.put(rules.key(e.chargePointId(), seq), rules.keep(seq, e));
        nextSeq.put(e.chargePointId(), seq + 1);
    }

    /** The number after the highest kept frame of the charge point (0 if none). */
    private long afterStored(String chargePointId) {
        long next = 0;
        try (KeyValueIterator<String, RecentFrames.Frame> it =
                store.range(RecentFrames.from(chargePointId), RecentFrames.to(chargePointId))) {
            while (it.hasNext()) {
                KeyValue<String, RecentFrames.Frame> kv = it.next();
                next = Math.max(next, kv.value.seq() + 1);
            }
        }
        return next;
    }
}
