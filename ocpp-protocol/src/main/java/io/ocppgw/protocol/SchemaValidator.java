package io.ocppgw.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates CALL and CALLRESULT payloads against the official OCA JSON schemas shipped in this
 * module's resources ({@code io/ocppgw/protocol/schemas/<version token>/}). Each schema is compiled
 * once and cached; the instance is thread-safe and meant to be shared.
 *
 * <p>Violations map to error codes by the schema keyword that failed: {@code type} and
 * {@code format} → TypeConstraintViolation; {@code required}, {@code minItems}, {@code maxItems}
 * → OccurrenceConstraintViolation; value limits ({@code enum}, lengths, ranges, {@code pattern})
 * → PropertyConstraintViolation; anything else ({@code additionalProperties} …) → FormatViolation.
 */
public final class SchemaValidator {

    static final String SCHEMA_ROOT = "io/ocppgw/protocol/schemas/";

    private record Key(OcppVersion version, String action, PayloadKind kind) {}

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_6);
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Key, Optional<Schema>> cache = new ConcurrentHashMap<>();

    /**
     * Validates {@code payload}. An action without a schema in that version (unknown action) is
     * reported as {@code NotImplemented}; check the catalogue first to tell the peer precisely.
     */
    public SchemaCheck validate(OcppVersion version, String action, PayloadKind kind, JsonNode payload) {
        Optional<Schema> schema = schema(version, action, kind);
        if (schema.isEmpty()) {
            return new SchemaCheck(
                    List.of(new SchemaViolation(
                            "$",
                            "schema",
                            "no " + kind.name().toLowerCase(Locale.ROOT) + " schema for action " + action + " in "
                                    + version.token())),
                    ErrorCode.NOT_IMPLEMENTED);
        }
        List<Error> errors = schema.get().validate(payload);
        if (errors.isEmpty()) {
            return SchemaCheck.valid();
        }
        List<SchemaViolation> violations = new ArrayList<>(errors.size());
        for (Error e : errors) {
            violations.add(
                    new SchemaViolation(String.valueOf(e.getInstanceLocation()), e.getKeyword(), e.getMessage()));
        }
        return new SchemaCheck(violations, codeFor(violations.get(0).keyword()));
    }

    /** Whether this version has a schema for the action's payload of that kind. */
    public boolean hasSchema(OcppVersion version, String action, PayloadKind kind) {
        return schema(version, action, kind).isPresent();
    }

    /** Compiles every schema of every catalogued action now, so a broken resource fails at start, not on traffic. */
    public int preloadAll() {
        int n = 0;
        for (OcppVersion v : OcppVersion.values()) {
            for (String action : ActionCatalogue.actions(v)) {
                for (PayloadKind kind : PayloadKind.values()) {
                    if (kind == PayloadKind.RESPONSE && ActionCatalogue.isSendOnly(action)) {
                        continue;
                    }
                    if (schema(v, action, kind).isEmpty()) {
                        throw new IllegalStateException(
                                "missing " + kind + " schema for " + action + " in " + v.token());
                    }
                    n++;
                }
            }
        }
        return n;
    }

    static ErrorCode codeFor(String keyword) {
        if (keyword == null) {
            return ErrorCode.FORMAT_VIOLATION;
        }
        return switch (keyword) {
            case "type", "format" -> ErrorCode.TYPE_CONSTRAINT_VIOLATION;
            case "required", "minItems", "maxItems", "minProperties", "maxProperties" ->
                ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION;
            case "enum",
                    "const",
                    "maxLength",
                    "minLength",
                    "pattern",
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf" -> ErrorCode.PROPERTY_CONSTRAINT_VIOLATION;
            default -> ErrorCode.FORMAT_VIOLATION;
        };
    }

    private Optional<Schema> schema(OcppVersion version, String action, PayloadKind kind) {
        return cache.computeIfAbsent(new Key(version, action, kind), this::load);
    }

    private Optional<Schema> load(Key key) {
        if (!ActionCatalogue.isKnown(key.version(), key.action())) {
            return Optional.empty(); // never turn a peer's action name into a resource path
        }
        for (String file : fileNames(key)) {
            try (InputStream in = SchemaValidator.class
                    .getClassLoader()
                    .getResourceAsStream(SCHEMA_ROOT + key.version().token() + "/" + file)) {
                if (in != null) {
                    return Optional.of(registry.getSchema(mapper.readTree(in)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + file, e);
            }
        }
        return Optional.empty();
    }

    private static List<String> fileNames(Key key) {
        String a = key.action();
        if (key.kind() == PayloadKind.RESPONSE) {
            return List.of(a + "Response.json");
        }
        return key.version().isTwoX() ? List.of(a + "Request.json", a + ".json") : List.of(a + ".json");
    }
}
