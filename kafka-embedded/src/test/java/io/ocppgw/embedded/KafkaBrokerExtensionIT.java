package io.ocppgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithKafkaBroker
class KafkaBrokerExtensionIT {

    private static EmbeddedKafka first;

    @BeforeAll
    static void remember(EmbeddedKafka kafka) {
        first = kafka;
    }

    @Test
    void shouldInjectOneSharedRunningBroker(EmbeddedKafka kafka) throws Exception {
        assertThat(kafka).isSameAs(first);
        try (var admin = kafka.admin()) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }
}
