package io.ocppgw.reconcile;

/** reconciliation-streams' stores; their changelog topics are named after them, so they never change. */
final class StoreNames {

    /** chargePointId → {@link ChargePointBook}. */
    static final String BOOKS = "reconcile-books";
    /** chargePointId → the latest reconciliation events of it ({@link RecentEvents}). */
    static final String RECENT_EVENTS = "reconcile-recent-events";
    /** chargePointId + NUL + slot → one of its latest journal frames ({@link RecentFrames}); slots are reused in turn. */
    static final String RECENT_FRAMES = "reconcile-recent-frames";
    /** zero-padded epoch millis + '|' + chargePointId → chargePointId: when a book has a timer due. */
    static final String DEADLINES = "reconcile-deadlines";

    private StoreNames() {}
}
