package io.ocppgw.edge.session;

import io.ocppgw.topics.records.RoutedCommand;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One session's commands for its charge point: FIFO, bounded, one CALL outstanding at a time, and a
 * memory of the commandIds this session took so none goes on its wire twice. The outstanding one is
 * first being made durable (its journal record and SENT report written ahead) and only then on the
 * wire. Not thread-safe: whoever uses it (the downstream dispatcher) holds the queue's lock around every use.
 */
public final class OutboundQueue {

    /** The command between its write-ahead and its answer. */
    public static final class InFlight {
        private RoutedCommand command;
        private boolean onWire;
        private long sentNanos;
        private ScheduledFuture<?> timeout;

        InFlight(RoutedCommand command) {
            this.command = command;
        }

        public RoutedCommand command() {
            return command;
        }

        public boolean onWire() {
            return onWire;
        }

        public long sentNanos() {
            return sentNanos;
        }

        public void onWire(long nanos, ScheduledFuture<?> timer) {
            this.onWire = true;
            this.sentNanos = nanos;
            this.timeout = timer;
        }

        /** A newer attempt of the same command reached this session: its reports carry that attempt from now on. */
        public void adopt(RoutedCommand newer) {
            this.command = newer;
        }

        public void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }

        public String commandId() {
            return command.command().commandId();
        }
    }

    private static final int REMEMBERED_IDS = 10_000;

    private final int capacity;
    private final Deque<RoutedCommand> waiting = new ArrayDeque<>();
    private final Set<String> takenIds = new LinkedHashSet<>();
    private InFlight inFlight;

    public OutboundQueue(int capacity) {
        this.capacity = capacity;
    }

    /** False when full (the caller reports it; nothing is dropped silently). */
    public boolean offer(RoutedCommand command) {
        if (waiting.size() >= capacity) {
            return false;
        }
        waiting.addLast(command);
        return true;
    }

    /** Whether this session already took the commandId (it is waiting, outstanding, or was sent). */
    public boolean took(String commandId) {
        return takenIds.contains(commandId) || isWaiting(commandId);
    }

    /** Replaces a waiting command of the same id by a newer attempt; false if none waits. */
    public boolean replaceWaiting(RoutedCommand newer) {
        String id = newer.command().commandId();
        if (!isWaiting(id)) {
            return false;
        }
        List<RoutedCommand> rest = List.copyOf(waiting);
        waiting.clear();
        for (RoutedCommand r : rest) {
            waiting.addLast(r.command().commandId().equals(id) ? newer : r);
        }
        return true;
    }

    private boolean isWaiting(String commandId) {
        for (RoutedCommand r : waiting) {
            if (r.command().commandId().equals(commandId)) {
                return true;
            }
        }
        return false;
    }

    /** The next command to send, if none is outstanding. */
    public Optional<RoutedCommand> next() {
        return inFlight != null ? Optional.empty() : Optional.ofNullable(waiting.pollFirst());
    }

    /** The command becomes the outstanding one; its write-ahead starts now. */
    public InFlight start(RoutedCommand command) {
        inFlight = new InFlight(command);
        takenIds.add(command.command().commandId());
        if (takenIds.size() > REMEMBERED_IDS) {
            takenIds.remove(takenIds.iterator().next());
        }
        return inFlight;
    }

    public Optional<InFlight> inFlight() {
        return Optional.ofNullable(inFlight);
    }

    /** Whether {@code f} is still the outstanding command. */
    public boolean isCurrent(InFlight f) {
        return inFlight == f;
    }

    /** Settles the outstanding CALL if it is on the wire and {@code messageId} is its id; returns it. */
    public Optional<InFlight> settle(String messageId) {
        if (inFlight != null && inFlight.onWire && inFlight.commandId().equals(messageId)) {
            InFlight done = inFlight;
            inFlight = null;
            return Optional.of(done);
        }
        return Optional.empty();
    }

    /** Ends the outstanding command without an answer (its write-ahead failed, or its session ended first). */
    public void release(InFlight f) {
        if (inFlight == f) {
            inFlight = null;
        }
    }

    /**
     * Ends the outstanding command unsent and forgets that this session took it: it never reached the
     * wire, and may come back to this session as a newer attempt (a lease that lapsed during its write-ahead).
     */
    public void withdraw(InFlight f) {
        release(f);
        takenIds.remove(f.commandId());
    }

    /** The commands never started when the session ends. */
    public List<RoutedCommand> drainWaiting() {
        List<RoutedCommand> rest = List.copyOf(waiting);
        waiting.clear();
        return rest;
    }

    public int depth() {
        return waiting.size() + (inFlight == null ? 0 : 1);
    }
}
