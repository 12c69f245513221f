package io.ocppgw.route;

import io.ocppgw.topics.records.CommandResult;

/**
 * A command that has its result (store {@value StoreNames#OUTCOMES}, key {@code chargePointId:commandId}),
 * remembered for a while: the same command written again is recognised and changes nothing, a reused
 * commandId with other content is refused, and queries can show the result.
 */
public record FinishedCommand(String contentHash, CommandResult result) {
}
