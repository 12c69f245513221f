package io.ocppgw.route;

import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.commands.CommandTiming;
import java.time.Duration;

/**
 * What the routing topology needs to know (pure; no Kafka client settings here).
 *
 * @param maxAttempts            routings that may end in NOT_CONNECTED before a command is UNDELIVERABLE
 * @param defaultTtl             a command's time to live when it names none
 * @param defaultResponseTimeout how long a charge point has to answer a command that names no responseTimeout
 * @param replyWait              how long a REPLY for a session route-streams does not know waits for that
 *                               session's CONNECTED (the edge's answer budget: the charge point waits no longer)
 * @param reportGrace            how long past its deadline a command waits for its pod's report before the
 *                               backstop ends it
 * @param maxPayloadBytes        larger payloads are REJECTED
 * @param maxOpenPerChargePoint  open commands per charge point before new ones are REJECTED
 * @param commandPartitions      partitions of {@code commands}, to tell a record on the wrong partition
 *                               (0: not checked)
 * @param punctuateInterval      how often deadlines and pod leases are checked (wall clock)
 * @param resultMemory           how long a finished commandId is remembered (duplicates, queries)
 */
public record RouteSettings(
        TopicNames topics,
        int maxAttempts,
        Duration defaultTtl,
        Duration defaultResponseTimeout,
        Duration replyWait,
        Duration reportGrace,
        int maxPayloadBytes,
        int maxOpenPerChargePoint,
        int commandPartitions,
        Duration punctuateInterval,
        Duration resultMemory) {

    public static RouteSettings defaults(TopicNames topics) {
        return new RouteSettings(
                topics,
                3,
                Duration.ofHours(1),
                CommandTiming.RESPONSE_TIMEOUT,
                CommandTiming.ANSWER_BUDGET,
                Duration.ofSeconds(5),
                64 * 1024,
                1000,
                0,
                Duration.ofSeconds(1),
                Duration.ofHours(1));
    }

    public RouteSettings withCommandPartitions(int partitions) {
        return new RouteSettings(
                topics,
                maxAttempts,
                defaultTtl,
                defaultResponseTimeout,
                replyWait,
                reportGrace,
                maxPayloadBytes,
                maxOpenPerChargePoint,
                partitions,
                punctuateInterval,
                resultMemory);
    }

    public RouteSettings withLimits(int maxPayloadBytes, int maxOpenPerChargePoint) {
        return new RouteSettings(
                topics,
                maxAttempts,
                defaultTtl,
                defaultResponseTimeout,
                replyWait,
                reportGrace,
                maxPayloadBytes,
                maxOpenPerChargePoint,
                commandPartitions,
                punctuateInterval,
                resultMemory);
    }
}
