package io.ocppgw.edge.handshake;

import java.util.Optional;

/**
 * Where the edge looks up a charge point's password hash. A file today ({@link CredentialsFile}); a
 * compacted Kafka topic keyed by identity can implement the same lookup later.
 */
public interface CredentialStore {

    /** The stored hash for {@code identity}; empty when the identity is unknown. */
    Optional<PasswordHash> hashFor(String identity);

    /** Whether the identity is known at all (the registry check of the handshake). */
    default boolean isKnown(String identity) {
        return hashFor(identity).isPresent();
    }
}
