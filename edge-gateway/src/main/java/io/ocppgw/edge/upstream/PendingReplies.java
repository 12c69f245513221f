package io.ocppgw.edge.upstream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CALLs of {@code backend} actions waiting for their REPLY command, by session and message id, with
 * the action and OCPP version the reply must fit. The downstream consumer (commands-down) looks a
 * reply's CALL up ({@link #waiting}), checks the reply, and completes it; a reply for a session or
 * CALL that no longer waits is refused.
 */
public final class PendingReplies {

    /** A backend's reply: a payload, an error frame's content, or a reply the gateway refused (the CALL gets its fallback). */
    public sealed interface Reply {
        record Result(ObjectNode payload) implements Reply {}

        record Error(String code, String description, ObjectNode details) implements Reply {}

        /** The backend's reply broke the rules (schema, error code): the charge point gets the action's fallback instead. */
        record Refused(String why) implements Reply {}
    }

    /** A CALL that waits: what its reply must answer. */
    public record Waiting(String action, OcppVersion version) {}

    private record Key(String sessionId, String messageId) {}

    private record Pending(Waiting waiting, CompletableFuture<Reply> reply) {}

    private final ConcurrentHashMap<Key, Pending> waiting = new ConcurrentHashMap<>();

    /** Starts waiting; the future completes with the reply, or never (the caller applies its budget). */
    public CompletableFuture<Reply> await(String sessionId, String messageId, String action, OcppVersion version) {
        Key key = new Key(sessionId, messageId);
        CompletableFuture<Reply> f = new CompletableFuture<>();
        Pending p = new Pending(new Waiting(action, version), f);
        waiting.put(key, p);
        f.whenComplete((r, e) -> waiting.remove(key, p));
        return f;
    }

    /** What the CALL a reply answers waits for; empty when nothing waits (answered already, out of budget, session gone). */
    public Optional<Waiting> waiting(String sessionId, String messageId) {
        return Optional.ofNullable(waiting.get(new Key(sessionId, messageId))).map(Pending::waiting);
    }

    /** Delivers a reply; false when nothing waits for it (any more). */
    public boolean complete(String sessionId, String messageId, Reply reply) {
        Pending p = waiting.remove(new Key(sessionId, messageId));
        return p != null && p.reply().complete(reply);
    }

    /** Stops every wait of a session that ended. */
    public void cancelSession(String sessionId) {
        waiting.forEach((k, p) -> {
            if (k.sessionId().equals(sessionId)) {
                p.reply().cancel(false);
            }
        });
    }

    public int size() {
        return waiting.size();
    }

    /** The frame a reply becomes on the wire (never called for a refused one). */
    public static OcppFrame toFrame(String messageId, Reply reply) {
        if (reply instanceof Reply.Error e) {
            return new OcppFrame.CallError(
                    messageId,
                    e.code(),
                    e.description() == null ? "" : e.description(),
                    e.details() == null ? JsonNodeFactory.instance.objectNode() : e.details());
        }
        return new OcppFrame.CallResult(messageId, ((Reply.Result) reply).payload());
    }
}
