package io.ocppgw.support;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing every role does: wait until the Kafka cluster answers and holds the gateway's topics.
 * While it does not, the role says so plainly every ten seconds (the bootstrap servers and the cause, or
 * the topics missing and that {@code ocppgw topics apply} makes them), and its admin port answers
 * {@code /health/live} 200 and {@code /health/ready} 503 with the same words, so an orchestrator keeps
 * the process (nothing is wrong with it) and sends it no traffic. It waits as long as it takes; a role
 * whose cluster is there pays two metadata requests.
 */
public final class KafkaWait {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWait.class);
    private static final Duration ATTEMPT = Duration.ofSeconds(5);
    private static final Duration SAY_EVERY = Duration.ofSeconds(10);

    private KafkaWait() {}

    /** Blocks until the cluster at {@code kafka}'s bootstrap servers answers and has every one of {@code topics}; returns how long that took. */
    public static Duration untilReady(
            String role, Map<String, Object> kafka, Collection<String> topics, String adminHost, int adminPort)
            throws InterruptedException {
        String servers = String.valueOf(kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        long start = System.nanoTime();
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "ocppgw-" + role + "-kafka-wait");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis());
        AdminServer health = null;
        AtomicReference<String> current = new AtomicReference<>();
        long lastSaid = 0;
        try (Admin admin = Admin.create(settings)) {
            while (true) {
                String problem;
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) ATTEMPT.toMillis()))
                            .nodes()
                            .get(ATTEMPT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                    Set<String> missing = new TreeSet<>(topics);
                    missing.removeAll(
                            admin.listTopics().names().get(ATTEMPT.toMillis() + 1_000, TimeUnit.MILLISECONDS));
                    if (missing.isEmpty()) {
                        Duration waited = Duration.ofNanos(System.nanoTime() - start);
                        if (health != null) {
                            LOG.atInfo()
                                    .setMessage("reached Kafka and its topics")
                                    .addKeyValue("role", role)
                                    .addKeyValue("bootstrapServers", servers)
                                    .addKeyValue("waitedSeconds", waited.toSeconds())
                                    .log();
                        }
                        return waited;
                    }
                    problem = "reached Kafka at " + servers + ", but it has no topic " + String.join(", ", missing)
                            + ": run 'ocppgw topics apply' (with this role's OCPPGW_TOPIC_PREFIX)";
                } catch (ExecutionException e) {
                    problem = unreachable(servers, String.valueOf(e.getCause()));
                } catch (TimeoutException e) {
                    problem = unreachable(servers, "no answer within " + ATTEMPT.toSeconds() + " s");
                }
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                String said = problem + " (waiting " + waitedMs / 1000 + " s so far)";
                current.set(problem);
                if (health == null) {
                    health = startHealth(adminHost, adminPort, current);
                }
                if (lastSaid == 0 || waitedMs - lastSaid >= SAY_EVERY.toMillis()) {
                    LOG.atWarn().setMessage(said).addKeyValue("role", role).log();
                    lastSaid = Math.max(waitedMs, 1);
                }
                Thread.sleep(1_000);
            }
        } finally {
            if (health != null) {
                health.close(); // the role binds the port itself now
            }
        }
    }

    private static String unreachable(String servers, String cause) {
        return "cannot reach Kafka at " + servers + " (" + cause
                + "); check OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS)," + " the brokers and the network";
    }

    /** Live, not ready, with the reason: what the admin port says until the role itself serves it. */
    private static AdminServer startHealth(String host, int port, AtomicReference<String> problem) {
        try {
            return new AdminServer(host, port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                    .readinessCheck(new HealthCheck("kafka", () -> HealthCheck.Result.down(problem.get())))
                    .start();
        } catch (RuntimeException e) {
            throw ConfigException.cannotListen("OCPPGW_ADMIN_PORT", port, host, e);
        }
    }
}
