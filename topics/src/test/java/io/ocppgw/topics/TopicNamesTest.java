package io.ocppgw.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void shouldPrefixEveryTopic() {
        assertThat(new TopicNames("site1.").name(Topic.COMMANDS_DOWN)).isEqualTo("site1.commands-down");
        assertThat(TopicNames.unprefixed().name(Topic.OCPP_JOURNAL)).isEqualTo("ocpp-journal");
        assertThat(new TopicNames(null).name(Topic.COMMANDS)).isEqualTo("commands");
    }

    @Test
    void shouldRefuseAPrefixKafkaCannotName() {
        assertThatThrownBy(() -> new TopicNames("bad prefix/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad prefix/'")
                .hasMessageContaining("a-z");
    }

    @Test
    void shouldHaveTheTopicsOfTheDesign() {
        assertThat(java.util.Arrays.stream(Topic.values()).map(Topic::baseName))
                .containsExactly(
                        "cp-connections",
                        "gateway-pods",
                        "ocpp-journal",
                        "commands",
                        "commands-down",
                        "command-status",
                        "command-results",
                        "transactions",
                        "reconciliation-events",
                        "transaction-ids",
                        "dead-letters");
    }
}
