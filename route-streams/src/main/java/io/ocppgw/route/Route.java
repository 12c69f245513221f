package io.ocppgw.route;

import java.time.Instant;

/** The route table's value: where a charge point's current (or last) session is. */
public record Route(String chargePointId, String podId, int partition, String sessionId, Instant connectedAt, State state,
                    Instant lastSeenAt, String ocppVersion) {

    public enum State { ONLINE, OFFLINE }

    /**
     * Whether a CONNECTED of {@code sessionId} at {@code connectedAt} is older than this route
     * (connectedAt first, sessionId as the tie break): an older session never replaces a newer one.
     */
    public boolean isNewerThan(Instant otherConnectedAt, String otherSessionId) {
        int byTime = connectedAt.compareTo(otherConnectedAt);
        return byTime > 0 || (byTime == 0 && sessionId.compareTo(otherSessionId) > 0);
    }
}
