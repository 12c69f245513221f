package io.ocppgw.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An OpenAPI 3.1 document on the classpath, held against live answers: the document must parse
 * (swagger-parser), and each answer a test got must be documented — its path, its status — and fit
 * the documented schema (networknt, JSON Schema 2020-12, the public record schemas resolved from the
 * classpath). It remembers which operations were checked with a 200, so a test can require all of them.
 */
public final class OpenApiContract {

    /** Where the documents claim to live; mapped to the classpath's {@code openapi/}. */
    private static final String DOCUMENT_PREFIX = "https://ocpp-kafka-gateway.invalid/openapi/";
    /** The record schemas' {@code $id} prefix; mapped to the classpath's {@code schemas/records/}. */
    private static final String RECORDS_PREFIX = "https://ocpp-kafka-gateway.invalid/schemas/records/";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String documentId;
    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            r -> r.schemaIdResolvers(ids -> ids.mapPrefix(DOCUMENT_PREFIX, "classpath:openapi/")
                    .mapPrefix(RECORDS_PREFIX, "classpath:schemas/records/")));
    private final Set<String> checkedOk = new TreeSet<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private record Operation(String template, Pattern pattern) {}

    /** Reads and parses {@code openapi/<file>} from the classpath; fails when the parser reports anything. */
    public OpenApiContract(String file) {
        String text = read("openapi/" + file);
        ParseOptions options = new ParseOptions();
        options.setResolve(false); // the record schemas are referred to by their ids, which no network serves
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        OpenAPI api = parsed.getOpenAPI();
        if (api == null
                || (parsed.getMessages() != null && !parsed.getMessages().isEmpty())) {
            throw new AssertionError(file + " is not a valid OpenAPI document: " + parsed.getMessages());
        }
        if (!api.getOpenapi().startsWith("3.1")) {
            throw new AssertionError(file + " is OpenAPI " + api.getOpenapi() + ", not 3.1");
        }
        try {
            this.document = YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.documentId = DOCUMENT_PREFIX + file;
        api.getPaths().forEach((template, item) -> {
            if (item.getGet() != null) {
                operations.add(new Operation(template, Pattern.compile(template.replaceAll("\\{[^/]+}", "[^/]+"))));
            }
        });
    }

    /** Every documented GET, as {@code GET <template>}. */
    public Set<String> operations() {
        Set<String> all = new TreeSet<>();
        operations.forEach(o -> all.add("GET " + o.template()));
        return all;
    }

    /** The operations a 200 answer was checked for so far. */
    public Set<String> checkedWithOk() {
        return Set.copyOf(checkedOk);
    }

    /**
     * What is wrong with a live answer to {@code GET pathAndQuery} by the document: empty when it is
     * documented and its JSON body fits the schema for its status.
     */
    public List<String> violations(String pathAndQuery, int status, String body) {
        String path = pathAndQuery.split("\\?", 2)[0];
        Optional<Operation> op = operations.stream()
                .filter(o -> o.pattern().matcher(path).matches())
                // a literal path wins over a template that also matches it
                .min((a, b) -> Long.compare(
                        a.template().chars().filter(c -> c == '{').count(),
                        b.template().chars().filter(c -> c == '{').count()));
        if (op.isEmpty()) {
            return List.of("GET " + path + " is not in the document");
        }
        String pointer = "/paths/" + escape(op.get().template()) + "/get/responses/" + status;
        JsonNode response = document.at(pointer);
        if (response.isMissingNode()) {
            return List.of("GET " + op.get().template() + " answered " + status + ", which the document does not list");
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = document.at(pointer);
        }
        List<String> problems = new ArrayList<>();
        JsonNode content = response.path("content");
        if (content.has("application/json")) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return List.of("GET " + path + " " + status + ": the body is not JSON: " + e.getMessage());
            }
            Schema schema = registry.getSchema(
                    SchemaLocation.of(documentId + "#" + pointer + "/content/application~1json/schema"));
            schema.validate(json)
                    .forEach(e -> problems.add(
                            "GET " + path + " " + status + " at " + e.getInstanceLocation() + ": " + e.getMessage()));
        } else if (content.isEmpty()) {
            problems.add("GET " + op.get().template() + " " + status
                    + " documents no content"); // a text one is taken as it is
        }
        if (problems.isEmpty() && status == 200) {
            checkedOk.add("GET " + op.get().template());
        }
        return problems;
    }

    /**
     * A GET of {@code pathAndQuery} on a local admin port; its answer must be documented and fit the
     * document (an AssertionError names what does not). Returns the answer for the test's own checks.
     */
    public HttpResponse<String> get(int port, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> problems = violations(pathAndQuery, r.statusCode(), r.body());
        if (!problems.isEmpty()) {
            throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + r.body() + "\n  "
                    + String.join("\n  ", problems));
        }
        return r;
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }

    private static String read(String resource) {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no " + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
