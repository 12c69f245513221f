package io.ocppgw.edge.downstream;

import java.time.Instant;

/**
 * What this pod can tell of how route-streams sees it, from its own lease renewals. While its last
 * acknowledged lease has expired, route-streams may count the pod as silent and route its unsent
 * commands to the charge points' newer sessions elsewhere. So the pod sends nothing while its lease has
 * lapsed, and afterwards nothing route-streams routed before it saw the renewal that ended the lapse:
 * route-streams puts on each routed command the {@code renewedAt} of the lease it routed by (this pod's
 * own clock, so nothing is compared across machines). Such a command is reported NOT_CONNECTED
 * {@code LEASE_LAPSED} and routed again wherever the charge point is now. Pure and thread-safe.
 */
public final class LeaseWatch {

    /** Until when route-streams sees a current lease; null before the first renewal was acknowledged. */
    private Instant validUntil;
    /** The renewal that ended the latest lapse (its renewedAt); null: the lease never lapsed. */
    private Instant renewedAfterLapse;

    /** The renewal made at {@code renewedAt}, expiring at {@code expiresAt}, was acknowledged at {@code ackedAt}. */
    public synchronized void acknowledged(Instant renewedAt, Instant expiresAt, Instant ackedAt) {
        if (validUntil != null && ackedAt.isAfter(validUntil)) {
            renewedAfterLapse = renewedAt; // the lease had expired before this renewal landed
        }
        if (validUntil == null || expiresAt.isAfter(validUntil)) {
            validUntil = expiresAt;
        }
    }

    /**
     * Whether a command routed by the lease renewed at {@code routedByLease} (null: route-streams had no
     * lease of this pod) may go on the wire at {@code now}.
     */
    public synchronized boolean maySend(Instant routedByLease, Instant now) {
        if (validUntil == null || !now.isBefore(validUntil)) {
            return false; // lapsed right now
        }
        return renewedAfterLapse == null || (routedByLease != null && !routedByLease.isBefore(renewedAfterLapse));
    }
}
