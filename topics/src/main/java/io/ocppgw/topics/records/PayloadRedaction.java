package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hides secrets in an OCPP payload before it is shown to a person. A secret is named three ways in
 * OCPP: as a field ({@code "basicAuthPassword": "…"}), as a 1.6 configuration key
 * ({@code {"key": "AuthorizationKey", "value": "…"}}), or as a 2.x variable
 * ({@code {"variable": {"name": "BasicAuthPassword"}, "attributeValue": "…"}}). Names match in any
 * case. Pure: the payload given is not changed.
 */
public final class PayloadRedaction {

    public static final String HIDDEN = "***";
    /** The 1.6 Basic-auth key, the 2.x Basic-auth password, and anything called a password or a private key. */
    public static final List<String> DEFAULT_NAMES =
            List.of("AuthorizationKey", "BasicAuthPassword", "password", "privateKey");

    private final Set<String> names;

    public PayloadRedaction(List<String> names) {
        this.names = names.stream()
                .map(n -> n.trim().toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty())
                .collect(Collectors.toSet());
    }

    /** A copy of {@code payload} with every secret value replaced by {@value #HIDDEN}; null stays null. */
    public JsonNode apply(JsonNode payload) {
        if (payload == null || names.isEmpty()) {
            return payload;
        }
        JsonNode copy = payload.deepCopy();
        hide(copy);
        return copy;
    }

    private void hide(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(this::hide);
        } else if (node instanceof ObjectNode object) {
            if (isSecret(object.path("key")) && object.has("value")) {
                object.set("value", TextNode.valueOf(HIDDEN));
            }
            if (isSecret(object.path("variable").path("name")) && object.has("attributeValue")) {
                object.set("attributeValue", TextNode.valueOf(HIDDEN));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (names.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                    field.setValue(TextNode.valueOf(HIDDEN));
                } else {
                    hide(field.getValue());
                }
            }
        }
    }

    private boolean isSecret(JsonNode name) {
        return name.isTextual() && names.contains(name.asText().toLowerCase(Locale.ROOT));
    }
}
