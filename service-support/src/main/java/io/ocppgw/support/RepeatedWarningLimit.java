package io.ocppgw.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Lets one warning of the Kafka clients through per logger and message pattern every {@code window}:
 * a client that cannot reach a broker repeats the same warning for every connection attempt (576 lines
 * in two minutes, seen), which buries everything else. The gateway says once in a while, in its own
 * words, what it waits for (see {@link KafkaWait}).
 */
final class RepeatedWarningLimit extends TurboFilter {

    private final String loggerPrefix;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Long> lastLetThrough = new ConcurrentHashMap<>();

    RepeatedWarningLimit(String loggerPrefix, long windowNanos, LongSupplier nanoTime) {
        this.loggerPrefix = loggerPrefix;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || !logger.getName().startsWith(loggerPrefix)) {
            return FilterReply.NEUTRAL;
        }
        long now = nanoTime.getAsLong();
        String key = logger.getName() + '\u0000' + format;
        boolean[] let = new boolean[1];
        lastLetThrough.compute(key, (k, last) -> {
            let[0] = last == null || now - last >= windowNanos;
            return let[0] ? now : last;
        });
        if (lastLetThrough.size() > 10_000) {
            lastLetThrough.clear(); // formats that carry ids make many keys; forgetting them only lets one more through
        }
        return let[0] ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
