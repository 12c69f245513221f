package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.edge.session.ReadThrottle;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadThrottleTest {

    static final class FakeReader implements ReadThrottle.Reader {
        boolean reading = true;

        @Override
        public void suspend() {
            reading = false;
        }

        @Override
        public void resume() {
            reading = true;
        }
    }

    @Test
    void shouldPauseReadersWhileTheBacklogIsHighAndResumeThemAtHalf() {
        AtomicInteger waiting = new AtomicInteger();
        ReadThrottle throttle = new ReadThrottle(10, waiting::get);
        FakeReader a = new FakeReader();
        FakeReader b = new FakeReader();

        waiting.set(9);
        throttle.afterFrame(a);
        assertThat(a.reading).isTrue();

        waiting.set(10);
        throttle.afterFrame(a);
        throttle.afterFrame(b);
        assertThat(a.reading).isFalse();
        assertThat(b.reading).isFalse();
        assertThat(throttle.pausedCount()).isEqualTo(2);

        waiting.set(6);
        throttle.onWriteSettled();
        assertThat(a.reading).as("not yet at half").isFalse();

        waiting.set(5);
        throttle.onWriteSettled();
        assertThat(a.reading).isTrue();
        assertThat(b.reading).isTrue();
        assertThat(throttle.pausedCount()).isZero();
    }
}
