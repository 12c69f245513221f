package io.ocppgw.edge.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Back-pressure: while {@code high} or more Kafka writes wait for their ack, each socket
 * that delivers a frame stops being read; once the backlog is down to half, every paused socket is
 * read again. Overload then costs latency (TCP holds the frames), not lost or refused messages.
 */
public final class ReadThrottle {

    /** What the throttle can do to a socket. */
    public interface Reader {
        void suspend();

        void resume();
    }

    private final int high;
    private final IntSupplier waiting;
    private final Set<Reader> paused = ConcurrentHashMap.newKeySet();

    public ReadThrottle(int high, IntSupplier waiting) {
        this.high = high;
        this.waiting = waiting;
    }

    /** After a frame was read from {@code reader}: pause it if the backlog is too long. */
    public void afterFrame(Reader reader) {
        if (waiting.getAsInt() >= high) {
            paused.add(reader);
            reader.suspend();
        }
    }

    /** After a Kafka write settled: resume every paused socket once the backlog is at half or less. */
    public void onWriteSettled() {
        if (!paused.isEmpty() && waiting.getAsInt() <= high / 2) {
            for (Reader r : paused) {
                if (paused.remove(r)) {
                    r.resume();
                }
            }
        }
    }

    public int pausedCount() {
        return paused.size();
    }
}
