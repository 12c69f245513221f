package io.ocppgw.topics.commands;

import java.time.Duration;

/**
 * Time limits the edge pods and route-streams must agree on, with the defaults both read when the
 * operator sets nothing (each can be set per process; set them alike).
 */
public final class CommandTiming {

    /**
     * How long a charge point's CALL may wait for its answer (the journal write, a backend's REPLY).
     * Assumes charge points give up on a CALL after 30 s or more, as common firmware and the OCPP
     * reference implementations do, and leaves 5 s of that for the network. It is long enough that a
     * journal write stalled by a broker failover (about 10 s) is answered late, not by a close.
     */
    public static final Duration ANSWER_BUDGET = Duration.ofSeconds(25);

    /** How long the gateway waits for a charge point's answer to a command it did not give a timeout. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private CommandTiming() {}
}
