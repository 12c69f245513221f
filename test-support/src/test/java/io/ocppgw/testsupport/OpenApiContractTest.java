package io.ocppgw.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenApiContractTest {

    private final OpenApiContract contract = new OpenApiContract("sample-api.yaml");

    @Test
    void shouldPassAnAnswerThatFitsItsDocumentedSchemaAndRememberTheOperation() {
        assertThat(contract.violations("/things/a1?verbose=true", 200, "{\"id\":\"a1\",\"size\":3}"))
                .isEmpty();
        assertThat(contract.violations("/things/zz", 404, "{\"error\":\"no zz\"}"))
                .as("a response by $ref")
                .isEmpty();

        assertThat(contract.checkedWithOk()).containsExactly("GET /things/{id}");
        assertThat(contract.operations()).containsExactly("GET /things/special", "GET /things/{id}");
    }

    @Test
    void shouldNameWhatBreaksTheDocument() {
        assertThat(contract.violations("/things/a1", 200, "{\"id\":\"a1\",\"size\":-1,\"colour\":\"red\"}"))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("/size"))
                .anySatisfy(p -> assertThat(p).contains("colour"));
        assertThat(contract.violations("/things/a1", 500, "{}"))
                .singleElement()
                .asString()
                .contains("500, which the document does not list");
        assertThat(contract.violations("/other", 200, "{}"))
                .singleElement()
                .asString()
                .contains("not in the document");
        assertThat(contract.violations("/things/a1", 200, "<html>"))
                .singleElement()
                .asString()
                .contains("not JSON");
        assertThat(contract.violations("/things/special", 200, "{\"id\":\"special\",\"size\":1}"))
                .as("the literal path wins")
                .isNotEmpty();
        assertThat(contract.checkedWithOk()).isEmpty();
    }

    @Test
    void shouldRefuseADocumentTheParserFindsWrongOrThatIsMissing() {
        assertThatThrownBy(() -> new OpenApiContract("broken-api.yaml"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is not a valid OpenAPI document");
        assertThatThrownBy(() -> new OpenApiContract("missing-api.yaml"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no openapi/");
    }
}
