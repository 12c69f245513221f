package io.ocppgw.reconcile;

import java.util.Map;

/**
 * The rhythm of a transaction's meter readings: how often each interval between consecutive readings
 * occurred, in whole seconds, and the most common of them as the interval to expect. One delta alone
 * says little: a 2.x {@code Ended} event repeats the last periodic reading a millisecond later, a
 * triggered MeterValues or a clock-aligned reading falls between two periodic ones. Pure.
 */
final class SamplingIntervals {

    /** Readings closer than this are repeats or extra (triggered) readings, not the rhythm. */
    static final long MIN_MILLIS = 1_000;
    /** Distinct intervals kept per transaction; the rarest (then shortest) one goes first. */
    static final int MAX_DISTINCT = 16;

    private SamplingIntervals() {}

    /** Counts one interval between consecutive readings into {@code counts} (seconds → occurrences). */
    static void observe(Map<Long, Integer> counts, long intervalMillis) {
        if (intervalMillis < MIN_MILLIS) {
            return;
        }
        counts.merge(Math.round(intervalMillis / 1000.0), 1, Integer::sum);
        if (counts.size() > MAX_DISTINCT) {
            Long rarest = null;
            for (Map.Entry<Long, Integer> e : counts.entrySet()) {
                if (rarest == null
                        || e.getValue() < counts.get(rarest)
                        || e.getValue().equals(counts.get(rarest)) && e.getKey() < rarest) {
                    rarest = e.getKey();
                }
            }
            counts.remove(rarest);
        }
    }

    /** The most common interval in ms (on a tie the longer, so fewer false gaps); null before any was seen. */
    static Long expectedMillis(Map<Long, Integer> counts) {
        Long best = null;
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            if (best == null
                    || e.getValue() > counts.get(best)
                    || e.getValue().equals(counts.get(best)) && e.getKey() > best) {
                best = e.getKey();
            }
        }
        return best == null ? null : best * 1000;
    }
}
