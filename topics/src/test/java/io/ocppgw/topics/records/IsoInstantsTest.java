package io.ocppgw.topics.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    private static final JsonSerde<PodLease> LEASES = JsonSerde.of(PodLease.class);

    @Test
    void shouldWriteAndReadExactlyWhatInstantDoesAcrossTheFastRange() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        int[] nanoShapes = {0, 1_000_000, 1_000, 1};
        for (int i = 0; i < 200_000; i++) {
            int shape = nanoShapes[i % 4];
            int nanos = shape == 0 ? 0 : random.nextInt(1_000_000_000 / shape) * shape;
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);

            String text = IsoInstants.format(t);

            assertThat(text).isEqualTo(t.toString());
            assertThat(IsoInstants.parseCanonical(text)).isEqualTo(t);
        }
    }

    @Test
    void shouldReadEveryFractionLength() {
        for (int digits = 1; digits <= 9; digits++) {
            String text = "2026-12-01T05:00:00." + "123456789".substring(0, digits) + "Z";
            assertThat(IsoInstants.parseCanonical(text)).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void shouldFormatOutsideTheFastRangeAsInstantDoes() {
        for (Instant t : new Instant[] {
            Instant.MIN, Instant.MAX, Instant.parse("-0001-06-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z")
        }) {
            assertThat(IsoInstants.format(t)).isEqualTo(t.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-12-01T05:00:00+01:00",
                "2026-12-01T24:00:00Z",
                "2026-12-01T23:59:60Z",
                "2026-02-30T00:00:00Z",
                "2026-12-01T05:00:00.Z",
                "2026-12-01T05:00:00.1234567890Z",
                "2026-12-01 05:00:00Z",
                "2026-12-01T05:00:0xZ",
                "+12026-12-01T05:00:00Z"
            })
    void shouldLeaveEveryOtherFormToTheFullParser(String text) {
        assertThat(IsoInstants.parseCanonical(text)).isNull();
    }

    @Test
    void shouldStillAcceptWhatJacksonAcceptedThroughTheSerde() {
        byte[] withOffset = "{\"podId\":\"p\",\"renewedAt\":\"2026-12-01T06:00:00+01:00\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(LEASES.deserialize("t", withOffset).renewedAt()).isEqualTo(Instant.parse("2026-12-01T05:00:00Z"));
    }

    @Test
    void shouldRejectAnImpossibleDateThroughTheSerde() {
        byte[] impossible = "{\"podId\":\"p\",\"renewedAt\":\"2026-02-30T00:00:00Z\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> LEASES.deserialize("t", impossible))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("2026-02-30");
    }
}
