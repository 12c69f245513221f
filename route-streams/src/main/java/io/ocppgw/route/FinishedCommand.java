package io.ocppgw.route;

import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Instant;

/**
 * A command that has its result (store {@value StoreNames#OUTCOMES}, key {@code chargePointId:commandId}),
 * remembered for a while: the same command written again is recognised and changes nothing, a reused
 * commandId with other content is refused, and queries can show the result. The store keeps the result
 * as its JSON; it is read back only for a query, while the rules and the sweep of old entries need
 * just the hash and the time.
 */
final class FinishedCommand {

    private static final JsonSerde<CommandResult> RESULTS = JsonSerde.of(CommandResult.class);

    private final String contentHash;
    private final Instant completedAt;
    private CommandResult result;
    private byte[] resultJson;

    /** A command the rules just finished; {@code contentHash} is the hash of its record. */
    FinishedCommand(String contentHash, CommandResult result) {
        this.contentHash = contentHash;
        this.completedAt = result == null ? null : result.completedAt();
        this.result = result;
    }

    private FinishedCommand(String contentHash, Instant completedAt, byte[] resultJson) {
        this.contentHash = contentHash;
        this.completedAt = completedAt;
        this.resultJson = resultJson;
    }

    /** As a store kept it: the result is parsed when first asked for. */
    static FinishedCommand stored(String contentHash, Instant completedAt, byte[] resultJson) {
        return new FinishedCommand(contentHash, completedAt, resultJson);
    }

    String contentHash() {
        return contentHash;
    }

    Instant completedAt() {
        return completedAt;
    }

    CommandResult result() {
        if (result == null) {
            result = RESULTS.deserialize(StoreNames.OUTCOMES, resultJson);
        }
        return result;
    }

    byte[] resultJson() {
        if (resultJson == null) {
            resultJson = RESULTS.serialize(StoreNames.OUTCOMES, result);
        }
        return resultJson;
    }

    @Override
    public String toString() {
        return "FinishedCommand[" + contentHash + ", " + completedAt + "]";
    }
}
