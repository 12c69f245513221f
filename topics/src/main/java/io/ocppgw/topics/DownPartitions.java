package io.ocppgw.topics;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Utils;

/**
 * Which {@code commands-down} partition an edge pod owns. Both sides use this one
 * function: route-streams to address a pod, the pod to know what to consume.
 */
public final class DownPartitions {

    /** A StatefulSet pod name: anything, a dash, then the ordinal. */
    private static final Pattern ORDINAL = Pattern.compile("^.+-(\\d+)$");

    private DownPartitions() {}

    /**
     * The pod's StatefulSet ordinal modulo D ({@code edge-gateway-7} → 7); a name without an ordinal
     * falls back to Kafka's murmur2 hash of the name modulo D.
     */
    public static int partitionFor(String podId, int downPartitions) {
        if (downPartitions < 1) {
            throw new IllegalArgumentException("commands-down partitions must be >= 1, was " + downPartitions);
        }
        OptionalInt ordinalMod = ordinalModulo(podId, downPartitions);
        if (ordinalMod.isPresent()) {
            return ordinalMod.getAsInt();
        }
        return Utils.toPositive(Utils.murmur2(podId.getBytes(StandardCharsets.UTF_8))) % downPartitions;
    }

    /** Whether the pod name carries a StatefulSet ordinal (and so cannot collide below D pods). */
    public static boolean hasOrdinal(String podId) {
        return ORDINAL.matcher(podId).matches();
    }

    private static OptionalInt ordinalModulo(String podId, int d) {
        Matcher m = ORDINAL.matcher(podId);
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        // BigInteger: an ordinal of any length must not overflow into a negative partition.
        return OptionalInt.of(
                new BigInteger(m.group(1)).mod(BigInteger.valueOf(d)).intValue());
    }
}
