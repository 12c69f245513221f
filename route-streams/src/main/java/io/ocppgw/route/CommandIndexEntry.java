package io.ocppgw.route;

import io.ocppgw.topics.records.CommandResult;
import java.time.Instant;

/**
 * What is known of a commandId: its charge point, a hash of its content (to tell a duplicate from a
 * conflicting reuse) and, once finished, its result (remembered for a while for queries and replays).
 */
public record CommandIndexEntry(String chargePointId, String contentHash, CommandResult result, Instant finishedAt) {

    public boolean isFinished() {
        return result != null;
    }
}
