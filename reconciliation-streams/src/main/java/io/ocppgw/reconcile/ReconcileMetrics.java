package io.ocppgw.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocppgw.topics.records.ReconciliationEvent;

/** reconciliation-streams' own metrics, named once here. The open-transaction gauge is the app's. */
public final class ReconcileMetrics {

    private final MeterRegistry registry;
    private final Counter journalRecords;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.journalRecords = Counter.builder("ocppgw_reconcile_journal_records")
                .description("ocpp-journal records read")
                .register(registry);
    }

    void journalRecord() {
        journalRecords.increment();
    }

    void event(ReconciliationEvent.Type type) {
        Counter.builder("ocppgw_reconcile_events")
                .description("Reconciliation events raised, by type")
                .tag("type", type.name())
                .register(registry)
                .increment();
    }

    /** A message recognised as a repeat by its natural key and dropped. */
    void duplicate(String kind) {
        Counter.builder("ocppgw_reconcile_duplicates_dropped")
                .description("Repeated transaction messages dropped, by kind")
                .tag("kind", kind)
                .register(registry)
                .increment();
    }
}
