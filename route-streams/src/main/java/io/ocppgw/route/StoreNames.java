package io.ocppgw.route;

/** Every state store of the topology, named once (their changelog topics follow from these names). */
public final class StoreNames {

    public static final String ROUTES = "route-table";
    public static final String LEDGER = "command-ledger";
    public static final String OPEN_COUNTS = "command-open-counts";
    public static final String INDEX = "command-index";
    public static final String DEADLINES = "command-deadlines";
    public static final String INFLIGHT = "pod-inflight";
    public static final String LEASES = "pod-leases";

    private StoreNames() {
    }
}
