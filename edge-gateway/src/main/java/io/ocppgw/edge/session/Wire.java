package io.ocppgw.edge.session;

import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/** Sending on and closing a session's socket; thread-safe, never blocks. */
public final class Wire {

    /** How long a close handshake may take before the TCP connection is cut. */
    private static final long CLOSE_GRACE_SECONDS = 5;

    private final ScheduledExecutorService timers;

    public Wire(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /** Completes when the text was written to the socket (or fails if it could not be). */
    public CompletableFuture<Void> send(WebSocketChannel channel, String text) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel c, Void context) {
                sent.complete(null);
            }

            @Override
            public void onError(WebSocketChannel c, Void context, Throwable throwable) {
                sent.completeExceptionally(throwable);
            }
        });
        return sent;
    }

    /** Starts the close handshake with {@code code}; cuts the connection if the peer does not answer in time. */
    public void close(WebSocketChannel channel, int code, String reason) {
        if (!channel.isOpen()) {
            return;
        }
        WebSockets.sendClose(new CloseMessage(code, reason), channel, null);
        timers.schedule(() -> IoUtils.safeClose(channel), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
