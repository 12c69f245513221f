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
 * arrival order, on worker threads; a charge point that sends more than {@code maxQueued} CALLs
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
    private final OutboundQueue outbound;
    private final Deque<Supplier<CompletableFuture<?>>> calls = new ArrayDeque<>();
    private boolean busy; // guarded by calls
    private volatile long lastPongNanos = System.nanoTime();
    private volatile CompletableFuture<?> ready = CompletableFuture.completedFuture(null);
    private volatile boolean closing;

    public Session(
            String sessionId,
            String identity,
            OcppVersion version,
            WebSocketChannel channel,
            Instant connectedAt,
            int maxQueued,
            Executor worker,
            int maxQueuedCommands) {
        this.sessionId = sessionId;
        this.identity = identity;
        this.version = version;
        this.channel = channel;
        this.connectedAt = connectedAt;
        this.maxQueued = maxQueued;
        this.worker = worker;
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
        Executor io = channel.getIoThread();
        return task -> {
            if (Thread.currentThread() == io) {
                task.run();
            } else {
                io.execute(task);
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
     */
    public boolean offerCall(Supplier<CompletableFuture<?>> handling) {
        synchronized (calls) {
            if (calls.size() > maxQueued) {
                return false;
            }
            calls.addLast(handling);
            if (busy) {
                return true;
            }
            busy = true;
        }
        ready.whenComplete((v, e) -> worker.execute(this::next));
        return true;
    }

    private void next() {
        Supplier<CompletableFuture<?>> handling;
        synchronized (calls) {
            handling = calls.pollFirst();
            if (handling == null || closing) {
                calls.clear();
                busy = false;
                return;
            }
        }
        CompletableFuture<?> done;
        try {
            done = handling.get();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((v, e) -> afterCall());
    }

    /** A worker is woken only when another CALL waits: the usual charge point has one outstanding at a time. */
    private void afterCall() {
        synchronized (calls) {
            if (calls.isEmpty() || closing) {
                calls.clear();
                busy = false;
                return;
            }
        }
        worker.execute(this::next);
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
