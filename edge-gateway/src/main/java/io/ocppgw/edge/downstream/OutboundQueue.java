package io.ocppgw.edge.downstream;

import io.ocppgw.topics.records.RoutedCommand;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One session's commands for its charge point: FIFO, bounded, one CALL outstanding at a time, and a
 * memory of the commandIds already sent in this session so none is sent twice. Not thread-safe: the
 * {@link CommandDispatcher} holds the session's lock around every use.
 */
public final class OutboundQueue {

    /** The CALL on the wire, waiting for its answer. */
    public record InFlight(RoutedCommand command, long sentNanos, java.util.concurrent.ScheduledFuture<?> timeout) {
    }

    private static final int REMEMBERED_IDS = 10_000;

    private final int capacity;
    private final Deque<RoutedCommand> waiting = new ArrayDeque<>();
    private final Set<String> sentIds = new LinkedHashSet<>();
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

    /** The next command to send, if none is outstanding. */
    public Optional<RoutedCommand> next() {
        return inFlight != null ? Optional.empty() : Optional.ofNullable(waiting.pollFirst());
    }

    public boolean alreadySent(String commandId) {
        return sentIds.contains(commandId);
    }

    public void sent(InFlight sent) {
        inFlight = sent;
        sentIds.add(sent.command().command().commandId());
        if (sentIds.size() > REMEMBERED_IDS) {
            sentIds.remove(sentIds.iterator().next());
        }
    }

    public Optional<InFlight> inFlight() {
        return Optional.ofNullable(inFlight);
    }

    /** Settles the outstanding CALL if {@code messageId} is its id; returns it. */
    public Optional<InFlight> settle(String messageId) {
        if (inFlight != null && inFlight.command().command().commandId().equals(messageId)) {
            InFlight done = inFlight;
            inFlight = null;
            return Optional.of(done);
        }
        return Optional.empty();
    }

    /** Everything left when the session ends: the outstanding CALL (if any) and the never-sent ones. */
    public List<RoutedCommand> drainWaiting() {
        List<RoutedCommand> rest = List.copyOf(waiting);
        waiting.clear();
        return rest;
    }

    public Optional<InFlight> takeInFlight() {
        InFlight f = inFlight;
        inFlight = null;
        return Optional.ofNullable(f);
    }

    public int depth() {
        return waiting.size() + (inFlight == null ? 0 : 1);
    }
}
