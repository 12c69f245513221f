package io.ocppgw.route;

/** Every state store of the topology, named once (their changelog topics follow from these names). */
public final class StoreNames {

    public static final String ROUTES = "route-table";
    /** Open commands, one entry each. */
    public static final String LEDGER = "command-ledger";
    /** Finished commands and their results, remembered for {@code OCPPGW_RESULT_MEMORY}. */
    public static final String OUTCOMES = "command-outcomes";

    public static final String LEASES = "pod-leases";

    private StoreNames() {}
}
