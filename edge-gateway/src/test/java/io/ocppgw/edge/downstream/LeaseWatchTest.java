package io.ocppgw.edge.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseWatchTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    @Test
    void shouldSendNothingBeforeTheFirstLeaseIsAcknowledged() {
        LeaseWatch w = new LeaseWatch();

        assertThat(w.maySend(at(0), at(0.1))).isFalse();
        w.acknowledged(at(0), at(3), at(0.05));
        assertThat(w.maySend(at(0), at(0.1))).isTrue();
        assertThat(w.maySend(null, at(0.1)))
                .as("route-streams had not seen a lease of this pod yet")
                .isTrue();
    }

    @Test
    void shouldSendWhileRenewalsLandInTime() {
        LeaseWatch w = new LeaseWatch();
        for (int i = 0; i < 10; i++) {
            w.acknowledged(at(i), at(i + 3), at(i + 0.01));
        }

        assertThat(w.maySend(at(1), at(9.6)))
                .as("no lapse: a command routed by an older lease is fine")
                .isTrue();
    }

    @Test
    void shouldRefuseWhileLapsedAndWhatWasRoutedByAnEarlierLeaseAfterwards() {
        LeaseWatch w = new LeaseWatch();
        w.acknowledged(at(0), at(3), at(0.01));
        w.acknowledged(at(1), at(4), at(1.01));
        assertThat(w.maySend(at(1), at(4.5)))
                .as("paused past the lease: route-streams suspects this pod now")
                .isFalse();

        w.acknowledged(at(8), at(11), at(8.02)); // resumed: the renewal lands after the lease had expired

        assertThat(w.maySend(at(1), at(8.1)))
                .as("routed by the lease before the lapse: may be on its way elsewhere")
                .isFalse();
        assertThat(w.maySend(null, at(8.1))).isFalse();
        assertThat(w.maySend(at(8), at(8.5)))
                .as("routed once route-streams had the renewal")
                .isTrue();
    }

    @Test
    void shouldCountARenewalThatLandedLateAsTheEndOfALapse() {
        LeaseWatch w = new LeaseWatch();
        w.acknowledged(at(0), at(3), at(0.01));
        w.acknowledged(
                at(1), at(6),
                at(5)); // made in time, acknowledged after the previous lease had expired (Kafka was slow)

        assertThat(w.maySend(at(0), at(5.1))).isFalse();
        assertThat(w.maySend(at(1), at(5.1))).isTrue();
    }
}
