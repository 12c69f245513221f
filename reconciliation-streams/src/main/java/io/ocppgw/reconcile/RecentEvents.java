package io.ocppgw.reconcile;

import io.ocppgw.topics.records.ReconciliationEvent;
import java.util.ArrayList;
import java.util.List;

/** The latest reconciliation events of one charge point, oldest first (store {@value StoreNames#RECENT_EVENTS}). */
record RecentEvents(List<ReconciliationEvent> events) {

    RecentEvents {
        events = List.copyOf(events);
    }

    RecentEvents plus(List<ReconciliationEvent> more, int keep) {
        List<ReconciliationEvent> all = new ArrayList<>(events);
        all.addAll(more);
        return new RecentEvents(all.subList(Math.max(0, all.size() - keep), all.size()));
    }
}
