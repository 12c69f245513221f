package io.ocppgw.edge.session;

import io.ocppgw.protocol.OcppVersion;
import io.undertow.websockets.core.WebSocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One charge point's WebSocket session. CALLs from the charge point are handled one at a time, in
 * arrival order: a light one (no schema check, or a small frame) on the session's IO thread, where it
 * arrived, which saves two thread hand-offs; a heavy one on a worker thread. A charge point that sends more than {@code maxQueued} CALLs
 * ahead of their answers is refused ({@link #offerCall} returns false and the caller closes 1008).
 * The session never blocks a thread while a CALL waits for Kafka or a backend.
 */
public final class Session {

    private final String sessionId;
    private final String identity;
    private final OcppVersion version;
    private final WebSocketChannel channel;
    private final Instant connectedAt;
    private final int maxQueued;
    private final Executor worker;
    private final Executor io;
    private final OutboundQueue outbound;
    private final Deque<Pending> calls = new ArrayDeque<>();
    private boolean busy; // guarded by calls
    private volatile long lastPongNanos = System.nanoTime();
    private volatile CompletableFuture<?> ready = CompletableFuture.completedFuture(null);
    private volatile boolean closing;

    public Session(String sessionId, String identity, OcppVersion version, WebSocketChannel channel, Instant connectedAt,
                   int maxQueued, Executor worker, int maxQueuedCommands) {
        this(sessionId, identity, version, channel, connectedAt, maxQueued, worker, ioExecutor(channel), maxQueuedCommands);
    }

    Session(String sessionId, String identity, OcppVersion version, WebSocketChannel channel, Instant connectedAt,
            int maxQueued, Executor worker, Executor io, int maxQueuedCommands) {
        this.sessionId = sessionId;
        this.identity = identity;
        this.version = version;
        this.channel = channel;
        this.connectedAt = connectedAt;
        this.maxQueued = maxQueued;
        this.worker = worker;
        this.io = io;
        this.outbound = new OutboundQueue(maxQueuedCommands);
    }

    /** Commands for this charge point; lock it while using it. */
    public OutboundQueue outbound() {
        return outbound;
    }

    public String sessionId() {
        return sessionId;
    }

    public String identity() {
        return identity;
    }

    public OcppVersion version() {
        return version;
    }

    public WebSocketChannel channel() {
        return channel;
    }

    /** Runs a task on this session's IO thread: at once when already on it, else queued there. */
    public Executor ioThread() {
        return io;
    }

    private static Executor ioExecutor(WebSocketChannel channel) {
        Executor thread = channel.getIoThread();
        return task -> {
            if (Thread.currentThread() == thread) {
                task.run();
            } else {
                thread.execute(task);
            }
        };
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    /** No CALL is handled before this completes (the CONNECTED event is in Kafka). */
    public void startAfter(CompletableFuture<?> connectedPersisted) {
        this.ready = connectedPersisted;
    }

    /**
     * Queues the handling of one CALL; each runs after the previous one was answered, in order. False
     * when more than {@code maxQueued} CALLs already wait (the peer ignores "one outstanding CALL").
     *
     * @param light whether the handling may run on the IO thread (it does not block, and its CPU work is small)
     */
    public boolean offerCall(Supplier<CompletableFuture<?>> handling, boolean light) {
        synchronized (calls) {
            if (calls.size() > maxQueued) {
                return false;
            }
            calls.addLast(new Pending(handling, light));
            if (busy) {
                return true;
            }
            busy = true;
        }
        ready.whenComplete((v, e) -> startNext());
        return true;
    }

    private record Pending(Supplier<CompletableFuture<?>> handling, boolean light) { }

    /** Starts the first waiting CALL on the thread it asks for (never on Kafka's, which completes {@link #ready}). */
    private void startNext() {
        boolean light;
        synchronized (calls) {
            Pending first = calls.peekFirst();
            light = first != null && first.light();
        }
        (light ? io : worker).execute(this::next);
    }

    private void next() {
        Pending pending;
        synchronized (calls) {
            pending = calls.pollFirst();
            if (pending == null || closing) {
                calls.clear();
                busy = false;
                return;
            }
        }
        CompletableFuture<?> done;
        try {
            done = pending.handling().get();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((v, e) -> afterCall());
    }

    /** A thread is woken only when another CALL waits: the usual charge point has one outstanding at a time. */
    private void afterCall() {
        synchronized (calls) {
            if (calls.isEmpty() || closing) {
                calls.clear();
                busy = false;
                return;
            }
        }
        startNext();
    }

    public void pong() {
        lastPongNanos = System.nanoTime();
    }

    public long lastPongNanos() {
        return lastPongNanos;
    }

    private volatile String closeReason = "closed";

    /**
     * Marks the session as going away (queued CALLs are no longer handled) and says why, for its
     * DISCONNECTED event; the first reason given wins.
     */
    public void closeReason(String reason) {
        if (!closing) {
            closeReason = reason;
        }
        closing = true;
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosing() {
        return closing;
    }

}
