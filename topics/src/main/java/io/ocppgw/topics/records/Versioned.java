package io.ocppgw.topics.records;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every record on the wire carries {@code schemaVersion}, so a reader can tell which writer made it.
 * Readers ignore fields they do not know, so a newer writer never breaks an older reader.
 */
public interface Versioned {

    /** The schema version this code writes. Bump it when a field's meaning changes, not when one is added. */
    int CURRENT = 1;

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    default int schemaVersion() {
        return CURRENT;
    }
}
