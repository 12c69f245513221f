package io.ocppgw.support.streams;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the open transaction of an instance that died for good, so it stops holding back the
 * read_committed readers of every partition it wrote to (the edge pods reading {@code commands-down}
 * among them). Without this the brokers abort it only after its transaction timeout plus their
 * clean-up interval: 20 to 30 s in which no command of those partitions is delivered.
 *
 * <p>Under exactly_once_v2 a stream thread's transactional id is {@code <application.id>-<processId>-<n>}
 * and its consumer's client id {@code <application.id>-<processId>-StreamThread-<n>-consumer}. A
 * transaction open for longer than {@code minAge} whose process has no member in the application's
 * group any more is abandoned: its tasks are gone (a live but expelled instance is fenced by the group
 * anyway, and rejoins). It is fenced, which aborts it at once. A restarted instance with its state
 * directory keeps its process id and ends its own transaction at start; this covers the one that does
 * not come back.
 */
public final class AbandonedTransactions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedTransactions.class);
    private static final Pattern PROCESS_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Admin admin;
    private final String applicationId;
    private final Duration minAge;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "abandoned-transactions");
        t.setDaemon(true);
        return t;
    });

    AbandonedTransactions(Map<String, Object> adminSettings, String applicationId, Duration minAge) {
        this.admin = Admin.create(adminSettings);
        this.applicationId = applicationId;
        this.minAge = minAge;
    }

    /** Looks every {@code every}; a failed look (a broker away, no permission) is logged and tried again. */
    AbandonedTransactions start(Duration every) {
        timer.scheduleWithFixedDelay(this::sweepQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * The transactional ids among {@code openTransactionalIds} of this application whose process has no
     * member among {@code memberClientIds}. Pure.
     */
    static List<String> abandoned(
            String applicationId, Collection<String> openTransactionalIds, Collection<String> memberClientIds) {
        Set<String> live = memberClientIds.stream()
                .map(id -> processId(applicationId, id))
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toSet());
        if (live.isEmpty()) {
            return List
                    .of(); // no member (or client ids set by the operator, without a process id): nothing can be told
            // apart
        }
        return openTransactionalIds.stream()
                .filter(id -> {
                    String process = processId(applicationId, id);
                    return !process.isEmpty() && !live.contains(process);
                })
                .sorted()
                .toList();
    }

    /** The process id right after {@code <applicationId>-}, or empty when the id is not one of this application's. */
    static String processId(String applicationId, String clientOrTransactionalId) {
        String prefix = applicationId + "-";
        if (!clientOrTransactionalId.startsWith(prefix) || clientOrTransactionalId.length() < prefix.length() + 36) {
            return "";
        }
        String candidate = clientOrTransactionalId.substring(prefix.length(), prefix.length() + 36);
        return PROCESS_ID.matcher(candidate).matches() ? candidate : "";
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (Exception e) {
            LOG.atDebug()
                    .setMessage("could not look for abandoned transactions")
                    .addKeyValue("error", e.toString())
                    .log();
        }
    }

    void sweep() throws Exception {
        // transactions first: one that has been open longer than minAge began before the group was read
        Collection<TransactionListing> open = admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(List.of(TransactionState.ONGOING))
                        .filterOnDuration(minAge.toMillis())
                        .filterOnTransactionalIdPattern(Pattern.quote(applicationId + "-") + ".*"))
                .all()
                .get(10, TimeUnit.SECONDS);
        if (open.isEmpty()) {
            return;
        }
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(applicationId);
        List<String> members =
                group.members().stream().map(MemberDescription::clientId).toList();
        if (members.isEmpty()) {
            return; // this instance is not in its group either: nothing can be told apart now
        }
        List<String> abandoned = abandoned(
                applicationId,
                open.stream().map(TransactionListing::transactionalId).toList(),
                members);
        if (!abandoned.isEmpty()) {
            admin.fenceProducers(abandoned).all().get(10, TimeUnit.SECONDS);
            LOG.atWarn()
                    .setMessage("aborted the open transactions of instances gone from the group")
                    .addKeyValue("transactionalIds", abandoned)
                    .log();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
