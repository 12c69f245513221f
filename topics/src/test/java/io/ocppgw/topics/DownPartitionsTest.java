package io.ocppgw.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DownPartitionsTest {

    @ParameterizedTest
    @CsvSource({
        "edge-gateway-0, 8, 0",
        "edge-gateway-7, 8, 7",
        "edge-gateway-7, 128, 7",
        "edge-gateway-8, 8, 0",
        "edge-gateway-13, 8, 5",
        "my-release-edge-gateway-127, 128, 127",
        "edge-gateway-99999999999999999999999, 8, 7",
    })
    void shouldUseTheStatefulSetOrdinalModuloD(String podId, int d, int expected) {
        assertThat(DownPartitions.partitionFor(podId, d)).isEqualTo(expected);
        assertThat(DownPartitions.hasOrdinal(podId)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"laptop, 8", "edge-gateway, 8", "edge-gateway-7a, 128", "7, 16", "pod_-x, 3"})
    void shouldFallBackToKafkasMurmur2ForNamesWithoutOrdinal(String podId, int d) {
        int expected = Utils.toPositive(Utils.murmur2(podId.getBytes(StandardCharsets.UTF_8))) % d;

        assertThat(DownPartitions.partitionFor(podId, d)).isEqualTo(expected).isBetween(0, d - 1);
        assertThat(DownPartitions.hasOrdinal(podId)).isFalse();
    }

    @Test
    void shouldGiveDistinctPartitionsToDistinctOrdinalsBelowD() {
        var seen = new java.util.HashSet<Integer>();
        for (int i = 0; i < 128; i++) {
            seen.add(DownPartitions.partitionFor("edge-gateway-" + i, 128));
        }
        assertThat(seen).hasSize(128);
    }

    @Test
    void shouldRejectANonPositivePartitionCount() {
        assertThatThrownBy(() -> DownPartitions.partitionFor("edge-gateway-1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be >= 1");
    }
}
