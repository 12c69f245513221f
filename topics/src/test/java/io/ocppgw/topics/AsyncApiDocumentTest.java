package io.ocppgw.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ocppgw.topics.records.RecordSchemas;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/asyncapi.yaml describes every topic there is, and what it points to exists. */
class AsyncApiDocumentTest {

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void shouldDescribeEveryTopicWithItsWritersReadersAndRecords() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory())
                .readTree(DOCS.resolve("asyncapi.yaml").toFile());
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");

        Set<String> addresses = new HashSet<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        assertThat(addresses)
                .isEqualTo(Arrays.stream(Topic.values()).map(Topic::baseName).collect(Collectors.toSet()));

        JsonNode messages = doc.path("components").path("messages");
        doc.path("channels").fields().forEachRemaining(channel -> {
            assertThat(channel.getValue().path("messages").size())
                    .as(channel.getKey())
                    .isPositive();
            channel.getValue()
                    .path("messages")
                    .forEach(m -> assertThat(resolve(doc, m.path("$ref").asText()))
                            .as(m.toString())
                            .isNotNull());
        });
        Set<String> sentTo = new HashSet<>();
        doc.path("operations").forEach(op -> {
            JsonNode channel = resolve(doc, op.path("channel").path("$ref").asText());
            assertThat(channel).as(op.toString()).isNotNull();
            if (op.path("action").asText().equals("send")) {
                sentTo.add(channel.path("address").asText());
            }
        });
        assertThat(sentTo).as("every topic has a writer").isEqualTo(addresses);

        for (Class<?> record : RecordSchemas.PUBLIC) {
            String ref = messages.path(record.getSimpleName())
                    .path("payload")
                    .path("$ref")
                    .asText();
            assertThat(ref).as(record.getSimpleName()).endsWith("/" + record.getSimpleName() + ".schema.json");
            assertThat(DOCS.resolve(ref).normalize()).exists();
        }
    }

    /** A local {@code #/a/b} reference in the document; null when it points nowhere. */
    private static JsonNode resolve(JsonNode doc, String ref) {
        assertThat(ref).startsWith("#/");
        JsonNode node = doc;
        for (String part : List.of(ref.substring(2).split("/"))) {
            node = node.path(part);
        }
        return node.isMissingNode() ? null : node;
    }
}
