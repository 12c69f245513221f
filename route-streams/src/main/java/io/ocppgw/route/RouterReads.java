package io.ocppgw.route;

import io.ocppgw.topics.records.PodLease;
import java.util.List;
import java.util.Optional;

/** What the rules may read of route-streams' state (the stores of one task and the global leases). */
interface RouterReads {

    Route route(String chargePointId);

    Optional<LedgerEntry> open(String chargePointId, String commandId);

    /** The charge point's open commands, oldest first (in the order they were written to {@code commands}). */
    List<LedgerEntry> openOf(String chargePointId);

    int openCount(String chargePointId);

    Optional<FinishedCommand> finished(String chargePointId, String commandId);

    /** The pod's latest lease; null when none was seen. */
    PodLease lease(String podId);
}
