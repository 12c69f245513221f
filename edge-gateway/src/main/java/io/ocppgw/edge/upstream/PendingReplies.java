package io.ocppgw.edge.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.OcppFrame;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CALLs of {@code backend} actions waiting for their REPLY command, by session and message id. The
 * downstream consumer (commands-down) calls {@link #complete}; a reply for a session or CALL that is
 * no longer waiting is refused (the caller drops and counts it).
 */
public final class PendingReplies {

    /** A backend's reply: a payload, or an error frame's content. */
    public sealed interface Reply {
        record Result(ObjectNode payload) implements Reply {
        }

        record Error(String code, String description, ObjectNode details) implements Reply {
        }
    }

    private record Key(String sessionId, String messageId) {
    }

    private final ConcurrentHashMap<Key, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();

    /** Starts waiting; the future completes with the reply, or never (the caller applies its budget). */
    public CompletableFuture<Reply> await(String sessionId, String messageId) {
        Key key = new Key(sessionId, messageId);
        CompletableFuture<Reply> f = new CompletableFuture<>();
        waiting.put(key, f);
        f.whenComplete((r, e) -> waiting.remove(key, f));
        return f;
    }

    /** Delivers a reply; false when nothing waits for it (stale or unknown). */
    public boolean complete(String sessionId, String messageId, Reply reply) {
        CompletableFuture<Reply> f = waiting.remove(new Key(sessionId, messageId));
        return f != null && f.complete(reply);
    }

    /** Stops every wait of a session that ended. */
    public void cancelSession(String sessionId) {
        waiting.forEach((k, f) -> {
            if (k.sessionId().equals(sessionId)) {
                f.cancel(false);
            }
        });
    }

    public int size() {
        return waiting.size();
    }

    /** The frame a reply becomes on the wire. */
    public static OcppFrame toFrame(String messageId, Reply reply) {
        if (reply instanceof Reply.Error e) {
            return new OcppFrame.CallError(messageId, e.code(), e.description() == null ? "" : e.description(),
                    e.details() == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : e.details());
        }
        return new OcppFrame.CallResult(messageId, ((Reply.Result) reply).payload());
    }

}
