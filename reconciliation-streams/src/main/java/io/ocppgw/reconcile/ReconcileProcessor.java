package io.ocppgw.reconcile;

import io.ocppgw.support.streams.BadRecordException;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O around {@link TransactionRules}: reads and writes a charge point's book, publishes changed
 * transactions and events, and keeps one wall-clock deadline per book in a store sorted by time, so
 * the punctuation touches only the books that are due.
 */
final class ReconcileProcessor implements Processor<String, JournalEntry, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileProcessor.class);
    private static final int MAX_DUE_PER_PUNCTUATION = 10_000;

    private final ReconcileSettings settings;
    private final ReconcileMetrics metrics;
    private final TransactionRules rules;
    private final CommitPacing pacing;
    private CommitPacing.Task commits;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, ChargePointBook> books;
    private KeyValueStore<String, RecentEvents> recent;
    private KeyValueStore<String, String> deadlines;

    ReconcileProcessor(ReconcileSettings settings, ReconcileMetrics metrics, CommitPacing pacing) {
        this.settings = settings;
        this.metrics = metrics;
        this.pacing = pacing;
        this.rules = new TransactionRules(settings);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        books = context.getStateStore(StoreNames.BOOKS);
        recent = context.getStateStore(StoreNames.RECENT_EVENTS);
        deadlines = context.getStateStore(StoreNames.DEADLINES);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        commits = pacing.start(context);
    }

    @Override
    public void close() {
        commits.close();
    }

    @Override
    public void process(Record<String, JournalEntry> record) {
        metrics.journalRecord();
        commits.processed();
        JournalEntry entry = record.value();
        if (entry == null) {
            return; // an empty record: nothing to reconcile
        }
        if (entry.chargePointId() == null
                || !entry.chargePointId().equals(record.key())
                || entry.chargePointId().indexOf(':') >= 0
                || entry.at() == null) {
            throw new BadRecordException("a journal entry without chargePointId (equal to its key, no ':') or at");
        }
        String cp = entry.chargePointId();
        ChargePointBook book = books.get(cp);
        Optional<TransactionMessage> message = TransactionMessage.of(entry);
        if (book == null
                && message.filter(m -> !(m instanceof TransactionMessage.Boot)).isEmpty()) {
            return; // no transactions known here, and this frame brings none: keep no book for it
        }
        Optional<Instant> due = book == null ? Optional.empty() : rules.nextDeadline(book);
        if (book != null && message.isEmpty() && !book.hasOpenWork() && due.isEmpty()) {
            return; // a heartbeat or status of a charge point with nothing open: no write for it
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        write(cp, rules.apply(book, entry, message, now), due, record.timestamp());
    }

    private void punctuate(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it =
                deadlines.range(deadlineKey(Instant.EPOCH, ""), deadlineKey(now, "\uffff"))) {
            while (it.hasNext() && due.size() < MAX_DUE_PER_PUNCTUATION) {
                due.add(it.next());
            }
        }
        for (KeyValue<String, String> d : due) {
            deadlines.delete(d.key);
            ChargePointBook book = books.get(d.value);
            if (book != null) {
                write(d.value, rules.onTime(book, now), Optional.empty(), wallClockMs);
            }
        }
    }

    private void write(String cp, Outcome out, Optional<Instant> previousDeadline, long timestamp) {
        books.put(cp, out.book);
        for (String key : out.removedKeys) {
            context.forward(new Record<String, Object>(key, null, timestamp), ReconcileTopology.TO_TRANSACTIONS);
        }
        for (TransactionState state : out.changed()) {
            context.forward(
                    new Record<String, Object>(TransactionKey.of(cp, state.transactionId()), state, timestamp),
                    ReconcileTopology.TO_TRANSACTIONS);
        }
        for (ReconciliationEvent event : out.events) {
            context.forward(new Record<String, Object>(cp, event, timestamp), ReconcileTopology.TO_EVENTS);
            metrics.event(event.type());
            LOG.atInfo()
                    .setMessage("reconciliation event")
                    .addKeyValue("chargePointId", cp)
                    .addKeyValue("type", event.type())
                    .addKeyValue("transactionIds", event.transactionIds())
                    .addKeyValue("eventId", event.eventId())
                    .log();
        }
        if (!out.events.isEmpty()) {
            RecentEvents known = recent.get(cp);
            recent.put(
                    cp,
                    (known == null ? new RecentEvents(List.of()) : known).plus(out.events, settings.recentEvents()));
        }
        out.duplicates.forEach(metrics::duplicate);
        Optional<Instant> next = rules.nextDeadline(out.book);
        if (!next.equals(previousDeadline)) {
            previousDeadline.ifPresent(d -> deadlines.delete(deadlineKey(d, cp)));
            next.ifPresent(d -> deadlines.put(deadlineKey(d, cp), cp));
        }
    }

    /** Sorts by time: 13 digits of epoch millis cover every date until the year 2286. */
    static String deadlineKey(Instant at, String cp) {
        return String.format(java.util.Locale.ROOT, "%013d|%s", at.toEpochMilli(), cp);
    }
}
