package io.ocppgw.edge.session;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The live sessions of this pod: one per identity, a newer connection replaces the older. */
public final class SessionRegistry {

    private final ConcurrentHashMap<String, Session> byIdentity = new ConcurrentHashMap<>();

    /** Registers {@code session}; returns the session it replaced, which the caller closes. */
    public Optional<Session> register(Session session) {
        return Optional.ofNullable(byIdentity.put(session.identity(), session));
    }

    /** Removes the session only if it is still the current one for its identity. */
    public boolean remove(Session session) {
        return byIdentity.remove(session.identity(), session);
    }

    public Optional<Session> current(String identity) {
        return Optional.ofNullable(byIdentity.get(identity));
    }

    public Collection<Session> all() {
        return List.copyOf(byIdentity.values());
    }

    public int size() {
        return byIdentity.size();
    }
}
