package io.ocppgw.route;

import io.ocppgw.topics.TopicNames;
import java.time.Duration;

/**
 * What the routing topology needs to know (pure; no Kafka client settings here).
 *
 * @param maxAttempts       routings that may end in NOT_CONNECTED before a command is UNDELIVERABLE
 * @param defaultTtl        a command's time to live when it names none
 * @param maxPayloadBytes   larger payloads are REJECTED
 * @param maxOpenPerChargePoint open commands per charge point before new ones are REJECTED
 * @param punctuateInterval how often TTLs and dead pods are checked (wall clock)
 * @param resultMemory      how long a finished commandId is remembered (duplicates, queries)
 */
public record RouteSettings(TopicNames topics, int maxAttempts, Duration defaultTtl, int maxPayloadBytes,
                            int maxOpenPerChargePoint, Duration punctuateInterval, Duration resultMemory) {

    public static RouteSettings defaults(TopicNames topics) {
        return new RouteSettings(topics, 3, Duration.ofHours(1), 64 * 1024, 1000, Duration.ofSeconds(1), Duration.ofDays(7));
    }
}
