package io.ocppgw.route;

import io.ocppgw.topics.records.PodLease;
import java.time.Instant;

/**
 * What route-streams believes of one incarnation of an edge pod, from the pod's lease. Pure.
 *
 * <ul>
 *   <li>ALIVE: its lease is current (or none was seen yet: the session's own CONNECTED vouches for it).</li>
 *   <li>SUSPECT: its lease expired. A paused process keeps its sockets, so this is suspicion, not death:
 *       what it holds waits; nothing new is routed to it.</li>
 *   <li>GONE: its lease says STOPPED, or a newer incarnation of the same pod id renewed it. Nothing it
 *       held can be answered any more.</li>
 * </ul>
 */
enum PodView {
    ALIVE,
    SUSPECT,
    GONE;

    /**
     * The view of {@code incarnation} of a pod from its latest {@code lease} (null: none seen).
     * {@code knownSince} is when route-streams learned of that incarnation (a session's connectedAt,
     * a command's routedAt): a lease of another incarnation renewed before that is one that lags behind.
     */
    static PodView of(PodLease lease, String incarnation, Instant knownSince, Instant now) {
        if (lease == null) {
            return ALIVE;
        }
        if (lease.incarnation() != null
                && incarnation != null
                && !lease.incarnation().equals(incarnation)) {
            return knownSince == null || lease.renewedAt().isAfter(knownSince) ? GONE : ALIVE;
        }
        if (lease.state() == PodLease.State.STOPPED) {
            return GONE;
        }
        return now.isBefore(lease.expiresAt()) ? ALIVE : SUSPECT;
    }
}
