package io.ocppgw.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The backend half of the classic design: it looks up each charge point's pod in Redis and produces
 * the command to that pod's topic. Three lookups, as deployed in practice: one GET per command, GETs
 * pipelined in batches, and a local cache whose entries live 30 s (the common advice to spare Redis).
 */
public final class ClassicBackend implements AutoCloseable {

    public enum Lookup {
        GET,
        PIPELINED,
        CACHED
    }

    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    private static final int PIPELINE_BATCH = 500;

    private record Cached(String pod, long until) {}

    private final ClassicEdge.Names names;
    private final Lookup lookup;
    private final Jedis redis;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Cached> cache = new HashMap<>();

    public ClassicBackend(ClassicEdge.Names names, Lookup lookup, Jedis redis, String bootstrap) {
        this.names = names;
        this.lookup = lookup;
        this.redis = redis;
        this.producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5),
                new StringSerializer(),
                new StringSerializer());
    }

    /**
     * Writes one command per charge point ({@code idPrefix + chargePointId}), each to the pod Redis (or
     * the cache) names; flushed when it returns.
     *
     * @return the pod each command was written to, by command id; absent when no route was found
     */
    public Map<String, String> send(List<String> chargePoints, String idPrefix, String action) {
        Map<String, String> pods = new HashMap<>();
        for (int from = 0; from < chargePoints.size(); from += PIPELINE_BATCH) {
            List<String> batch = chargePoints.subList(from, Math.min(chargePoints.size(), from + PIPELINE_BATCH));
            Map<String, String> routes = routes(batch);
            for (String cp : batch) {
                String pod = routes.get(cp);
                if (pod == null) {
                    continue;
                }
                String commandId = idPrefix + cp;
                pods.put(commandId, pod);
                producer.send(new ProducerRecord<>(
                        names.commands(pod),
                        cp,
                        ClassicEdge.MAPPER
                                .createObjectNode()
                                .put("commandId", commandId)
                                .put("chargePointId", cp)
                                .put("action", action)
                                .set("payload", ClassicEdge.MAPPER.createObjectNode())
                                .toString()));
            }
        }
        producer.flush();
        return pods;
    }

    private Map<String, String> routes(List<String> chargePoints) {
        Map<String, String> routes = new HashMap<>();
        switch (lookup) {
            case GET -> chargePoints.forEach(cp -> routes.put(cp, redis.get(ClassicEdge.Names.routeKey(cp))));
            case PIPELINED -> {
                Pipeline p = redis.pipelined();
                Map<String, Response<String>> answers = new HashMap<>();
                chargePoints.forEach(cp -> answers.put(cp, p.get(ClassicEdge.Names.routeKey(cp))));
                p.sync();
                answers.forEach((cp, a) -> routes.put(cp, a.get()));
            }
            case CACHED -> {
                long now = System.nanoTime();
                for (String cp : chargePoints) {
                    Cached c = cache.get(cp);
                    if (c == null || c.until() < now) {
                        c = new Cached(redis.get(ClassicEdge.Names.routeKey(cp)), now + CACHE_FOR.toNanos());
                        cache.put(cp, c);
                    }
                    routes.put(cp, c.pod());
                }
            }
        }
        return routes;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
