package io.ocppgw.reconcile;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What reconciliation-streams knows of one charge point (store {@value StoreNames#BOOKS}, key
 * chargePointId): its transactions (open ones, and recent stopped ones for deduplication), starts
 * still waiting for their id, boot checks inside their grace window, and the last session seen.
 *
 * <p>Mutable on purpose: the rules edit a freshly read copy for one record and write it back; nothing
 * else holds it. Every list a charge point can grow is bounded.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class ChargePointBook {

    static final int MAX_PENDING_STARTS = 16;
    static final int MAX_REMEMBERED = 32;

    String chargePointId;
    String ocppVersion;
    String lastSessionId;
    String lastPodId;
    Instant lastSeenAt;
    List<TrackedTransaction> transactions = new ArrayList<>();
    List<PendingStart> pendingStarts = new ArrayList<>();
    List<BootCheck> bootChecks = new ArrayList<>();
    /** Unknown-transaction stops already reported (natural keys), so a retry is not reported again. */
    List<String> unknownStops = new ArrayList<>();
    /** session/messageId of recent boots, so the same journal record replayed changes nothing. */
    List<String> bootsSeen = new ArrayList<>();

    static ChargePointBook empty(String chargePointId) {
        ChargePointBook book = new ChargePointBook();
        book.chargePointId = chargePointId;
        return book;
    }

    Optional<TrackedTransaction> find(String transactionId) {
        return transactions.stream()
                .filter(t -> t.transactionId.equals(transactionId))
                .findFirst();
    }

    /** Something open that later frames (or their session and time) matter to. */
    boolean hasOpenWork() {
        return !pendingStarts.isEmpty()
                || !bootChecks.isEmpty()
                || transactions.stream().anyMatch(TrackedTransaction::isOpen);
    }

    /** A 1.6 StartTransaction journaled but not (yet) answered with a transactionId. */
    @JsonAutoDetect(
            fieldVisibility = Visibility.ANY,
            getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE)
    static final class PendingStart {
        List<String> messageIds = new ArrayList<>();
        String sessionId;
        String podId;
        String ocppVersion;
        int connectorId;
        String idTag;
        Instant timestamp;
        double meterStart;
        String naturalKey;
        Instant at;
    }

    /** A BootNotification that found open transactions, waiting for them to be stopped or resumed. */
    @JsonAutoDetect(
            fieldVisibility = Visibility.ANY,
            getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE)
    static final class BootCheck {
        String bootSessionId;
        String bootPodId;
        String bootMessageId;
        /** Gateway time of the boot: samples taken after it show a transaction resumed. */
        Instant bootAt;
        /** Wall-clock end of the grace window. */
        Instant deadline;

        List<String> waiting = new ArrayList<>();
        String previousSessionId;
        String previousPodId;
        Instant lastSeenBeforeBoot;
    }

    static <T> void bound(List<T> list, int max) {
        while (list.size() > max) {
            list.remove(0);
        }
    }
}
