package io.ocppgw.topics.records;

import java.time.Instant;

/**
 * On {@code gateway-pods}, key podId: an edge pod's liveness, renewed every few seconds.
 *
 * @param incarnation new on every start of the pod's process: a lease with another incarnation than a
 *                    session's means the process that held the session is gone (a restart under the same pod id)
 */
public record PodLease(
        String podId,
        int partition,
        State state,
        Instant renewedAt,
        Instant expiresAt,
        String version,
        String incarnation)
        implements Versioned {

    public enum State {
        STARTING,
        READY,
        DRAINING,
        STOPPED
    }

    /** Alive means: not expired at {@code now} and not STOPPED. */
    public boolean isAlive(Instant now) {
        return state != State.STOPPED && now.isBefore(expiresAt);
    }
}
