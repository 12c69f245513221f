package io.ocppgw.route;

import java.time.Instant;

/**
 * The route table's value: where a charge point's current (or last) session is.
 *
 * @param incarnation the incarnation of the pod process that holds (held) the session
 */
public record Route(
        String chargePointId,
        String podId,
        int partition,
        String sessionId,
        Instant connectedAt,
        State state,
        Instant lastSeenAt,
        String ocppVersion,
        String incarnation) {

    public enum State {
        ONLINE,
        OFFLINE
    }

    /**
     * Whether a CONNECTED of {@code sessionId} at {@code connectedAt} is older than this route
     * (connectedAt first, sessionId as the tie break): an older session never replaces a newer one.
     */
    public boolean isNewerThan(Instant otherConnectedAt, String otherSessionId) {
        int byTime = connectedAt.compareTo(otherConnectedAt);
        return byTime > 0 || (byTime == 0 && sessionId.compareTo(otherSessionId) > 0);
    }

    public boolean isOnline() {
        return state == State.ONLINE;
    }

    Route offline(Instant at) {
        return new Route(
                chargePointId, podId, partition, sessionId, connectedAt, State.OFFLINE, at, ocppVersion, incarnation);
    }
}
