package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of the public records (resources {@code schemas/records/<Record>.schema.json}):
 * what backends and data teams may rely on. Tests check every record the code writes against them.
 */
public final class RecordSchemas {

    /** The records other systems read or write; the others are the gateway's own. */
    public static final List<Class<?>> PUBLIC = List.of(
            JournalEntry.class,
            Command.class,
            CommandResult.class,
            ConnectionEvent.class,
            TransactionState.class,
            ReconciliationEvent.class);

    /** The schemas' {@code $id} prefix; mapped to the classpath, so one schema's {@code $ref} to another resolves without a network. */
    private static final String ID_PREFIX = "https://ocpp-kafka-gateway.invalid/schemas/records/";

    private static final String RESOURCES = "schemas/records/";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaIdResolvers(ids -> ids.mapPrefix(ID_PREFIX, "classpath:" + RESOURCES)));
    private static final Map<String, Optional<Schema>> LOADED = new ConcurrentHashMap<>();

    private RecordSchemas() {}

    /** The schema of a record type by its simple name ({@code CommandResult}); empty for the gateway's own records. */
    public static Optional<Schema> of(String record) {
        return LOADED.computeIfAbsent(record, RecordSchemas::load);
    }

    /** What is wrong with {@code record} as JSON, by its type's schema; empty when it fits or its type has none. */
    public static List<String> violations(Object record) {
        return violations(record.getClass().getSimpleName(), JsonSerde.MAPPER.valueToTree(record));
    }

    /** What is wrong with {@code json} as a {@code record}; empty when it fits or the type has no schema. */
    public static List<String> violations(String record, JsonNode json) {
        return of(record)
                .map(s -> s.validate(json).stream()
                        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                        .toList())
                .orElse(List.of());
    }

    private static Optional<Schema> load(String record) {
        String file = record + ".schema.json";
        if (RecordSchemas.class.getResource("/" + RESOURCES + file) == null) {
            return Optional.empty();
        }
        return Optional.of(REGISTRY.getSchema(SchemaLocation.of(ID_PREFIX + file)));
    }
}
