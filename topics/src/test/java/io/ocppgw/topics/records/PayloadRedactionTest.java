package io.ocppgw.topics.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadRedactionTest {

    private final PayloadRedaction defaults = new PayloadRedaction(PayloadRedaction.DEFAULT_NAMES);

    private static JsonNode json(String text) throws Exception {
        return JsonSerde.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void shouldHideThe16AuthorizationKeySetThroughChangeConfiguration() throws Exception {
        JsonNode payload = json("{'key':'AuthorizationKey','value':'0123456789abcdef0123'}");

        assertThat(defaults.apply(payload)).isEqualTo(json("{'key':'AuthorizationKey','value':'***'}"));
        assertThat(payload.path("value").asText())
                .as("the original is not changed")
                .isEqualTo("0123456789abcdef0123");
    }

    @Test
    void shouldHideThe2xBasicAuthPasswordSetAsAVariable() throws Exception {
        JsonNode payload =
                json("{'setVariableData':[{'attributeValue':'s3cret-s3cret-16','component':{'name':'SecurityCtrlr'},"
                        + "'variable':{'name':'BasicAuthPassword'}},{'attributeValue':'60','component':{'name':'OCPPCommCtrlr'},"
                        + "'variable':{'name':'HeartbeatInterval'}}]}");

        JsonNode hidden = defaults.apply(payload);

        assertThat(hidden.path("setVariableData").get(0).path("attributeValue").asText())
                .isEqualTo("***");
        assertThat(hidden.path("setVariableData").get(1).path("attributeValue").asText())
                .isEqualTo("60");
    }

    @Test
    void shouldHideFieldsByNameInAnyCaseAndLeaveTheRest() throws Exception {
        assertThat(defaults.apply(json("{'nested':{'PASSWORD':'x','privatekey':'y','idTag':'04E9'}}")))
                .isEqualTo(json("{'nested':{'PASSWORD':'***','privatekey':'***','idTag':'04E9'}}"));
        assertThat(new PayloadRedaction(List.of("idTag")).apply(json("{'idTag':'04E9'}")))
                .isEqualTo(json("{'idTag':'***'}"));
        assertThat(new PayloadRedaction(List.of()).apply(json("{'password':'x'}")))
                .isEqualTo(json("{'password':'x'}"));
    }
}
