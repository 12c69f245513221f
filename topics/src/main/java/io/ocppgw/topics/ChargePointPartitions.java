package io.ocppgw.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of a chargePointId key in the charge-point-keyed topics: where Kafka's default
 * partitioner puts it (murmur2 of the key's UTF-8 bytes). Every writer of those topics must agree,
 * since the joins of route-streams need a charge point's records of every topic on one partition.
 */
public final class ChargePointPartitions {

    private ChargePointPartitions() {}

    public static int of(String chargePointId, int partitions) {
        return Utils.toPositive(Utils.murmur2(chargePointId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
