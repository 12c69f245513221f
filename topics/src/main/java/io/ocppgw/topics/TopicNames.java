package io.ocppgw.topics;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Topic names with the deployment's optional prefix ({@code OCPPGW_TOPIC_PREFIX}). */
public record TopicNames(String prefix) {

    /** Kafka's own rule for topic names, less room for the longest base name. */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{0,200}");

    public TopicNames {
        prefix = prefix == null ? "" : prefix;
        if (!LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' must be at most 200 characters of a-z, A-Z, 0-9, '.', '_' and '-'");
        }
    }

    public static TopicNames unprefixed() {
        return new TopicNames("");
    }

    public String name(Topic topic) {
        return prefix + topic.baseName();
    }

    /** Every topic of the gateway under this prefix: what {@code ocppgw topics apply} creates. */
    public List<String> all() {
        return Arrays.stream(Topic.values()).map(this::name).toList();
    }
}
