package io.ocppgw.route;

import io.ocppgw.topics.records.BinaryStoreSerde;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.StoreSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * How route-streams' task stores encode their values ({@link BinaryStoreSerde}): every record it
 * processes reads or writes some of them. The field order here is the format; a change to it is a
 * change of format. Values of the earlier Smile encoding still read.
 */
final class StoreValues {

    private StoreValues() {}

    /** {@value StoreNames#ROUTES}. */
    static final class Routes extends BinaryStoreSerde<Route> {
        private final StoreSerde<Route> earlier = StoreSerde.of(Route.class);

        Routes() {
            super(Route.class);
        }

        @Override
        protected void write(Route r, Writer out) throws IOException {
            out.string(r.chargePointId())
                    .string(r.podId())
                    .integer(r.partition())
                    .string(r.sessionId())
                    .instant(r.connectedAt())
                    .name(r.state())
                    .instant(r.lastSeenAt())
                    .string(r.ocppVersion())
                    .string(r.incarnation());
        }

        @Override
        protected Route read(Reader in) {
            return new Route(
                    in.string(),
                    in.string(),
                    in.integer(),
                    in.string(),
                    in.instant(),
                    in.name(Route.State.class),
                    in.instant(),
                    in.string(),
                    in.string());
        }

        @Override
        protected Route readEarlier(byte[] data) {
            return earlier.deserialize(StoreNames.ROUTES, data);
        }
    }

    /** {@value StoreNames#LEDGER}: the command as its record's bytes, after the fields of the entry. */
    static final class Ledger extends BinaryStoreSerde<LedgerEntry> {
        private final StoreSerde<EarlierLedgerEntry> earlier = StoreSerde.of(EarlierLedgerEntry.class);

        Ledger() {
            super(LedgerEntry.class);
        }

        @Override
        protected void write(LedgerEntry e, Writer out) throws IOException {
            StoredCommand c = e.command();
            out.string(c.commandId())
                    .string(c.chargePointId())
                    .name(c.kind())
                    .name(c.offlinePolicy())
                    .name(e.state())
                    .integer(e.attempts())
                    .string(e.podId())
                    .string(e.incarnation())
                    .integer(e.partition())
                    .string(e.sessionId())
                    .instant(e.requestedAt())
                    .instant(e.deadline())
                    .duration(e.responseTimeout())
                    .instant(e.routedAt())
                    .instant(e.sentAt())
                    .string(e.contentHash())
                    .longValue(e.sequence())
                    .instant(e.sessionEndedAt())
                    .bytes(c.json());
        }

        @Override
        protected LedgerEntry read(Reader in) {
            String commandId = in.string();
            String chargePointId = in.string();
            Command.Kind kind = in.name(Command.Kind.class);
            Command.OfflinePolicy policy = in.name(Command.OfflinePolicy.class);
            LedgerEntry.State state = in.name(LedgerEntry.State.class);
            int attempts = in.integer();
            String podId = in.string();
            String incarnation = in.string();
            Integer partition = in.nullableInteger();
            String sessionId = in.string();
            Instant requestedAt = in.instant();
            Instant deadline = in.instant();
            Duration responseTimeout = in.duration();
            Instant routedAt = in.instant();
            Instant sentAt = in.instant();
            String contentHash = in.string();
            long sequence = in.longValue();
            Instant sessionEndedAt = in.instant();
            StoredCommand command = StoredCommand.stored(commandId, chargePointId, kind, policy, in.bytes());
            return new LedgerEntry(
                    command,
                    state,
                    attempts,
                    podId,
                    incarnation,
                    partition,
                    sessionId,
                    requestedAt,
                    deadline,
                    responseTimeout,
                    routedAt,
                    sentAt,
                    contentHash,
                    sequence,
                    sessionEndedAt);
        }

        @Override
        protected LedgerEntry readEarlier(byte[] data) {
            return earlier.deserialize(StoreNames.LEDGER, data).now();
        }
    }

    /** {@value StoreNames#OUTCOMES}: the hash and time first, so reading them never parses the result's JSON. */
    static final class Outcomes extends BinaryStoreSerde<FinishedCommand> {
        private final StoreSerde<EarlierFinishedCommand> earlier = StoreSerde.of(EarlierFinishedCommand.class);

        Outcomes() {
            super(FinishedCommand.class);
        }

        @Override
        protected void write(FinishedCommand f, Writer out) throws IOException {
            out.string(f.contentHash()).instant(f.completedAt()).bytes(f.resultJson());
        }

        @Override
        protected FinishedCommand read(Reader in) {
            return FinishedCommand.stored(in.string(), in.instant(), in.bytes());
        }

        @Override
        protected FinishedCommand readEarlier(byte[] data) {
            EarlierFinishedCommand f = earlier.deserialize(StoreNames.OUTCOMES, data);
            return new FinishedCommand(f.contentHash(), f.result());
        }
    }

    /**
     * The global {@value StoreNames#LEASES}: JSON, as on {@code gateway-pods} (a global store may be
     * restored from its topic's bytes as they are). The rules look a pod's lease up several times for
     * every record while it changes every few seconds, so what a value decodes to is remembered by its
     * bytes, for the few pods there are.
     */
    static Serde<PodLease> leases() {
        return Serdes.serdeFrom(JsonSerde.of(PodLease.class), new RememberedLeases());
    }

    /** Reads leases, each distinct value once. */
    static final class RememberedLeases implements Deserializer<PodLease> {
        /** More distinct leases than this at once: the memory starts afresh (a pod's renewals replace its entry's use). */
        static final int REMEMBERED = 1_024;

        private final JsonSerde<PodLease> json = JsonSerde.of(PodLease.class);
        private final Map<ByteBuffer, PodLease> decoded = new ConcurrentHashMap<>();

        @Override
        public PodLease deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            ByteBuffer key = ByteBuffer.wrap(data);
            PodLease lease = decoded.get(key);
            if (lease == null) {
                lease = json.deserialize(topic, data);
                if (decoded.size() >= REMEMBERED) {
                    decoded.clear();
                }
                decoded.put(key, lease);
            }
            return lease;
        }
    }

    /** A ledger entry as the Smile encoding kept it: the command parsed. */
    record EarlierLedgerEntry(
            Command command,
            LedgerEntry.State state,
            int attempts,
            String podId,
            String incarnation,
            Integer partition,
            String sessionId,
            Instant requestedAt,
            Instant deadline,
            Duration responseTimeout,
            Instant routedAt,
            Instant sentAt,
            String contentHash,
            long sequence,
            Instant sessionEndedAt) {
        LedgerEntry now() {
            return new LedgerEntry(
                    StoredCommand.of(command),
                    state,
                    attempts,
                    podId,
                    incarnation,
                    partition,
                    sessionId,
                    requestedAt,
                    deadline,
                    responseTimeout,
                    routedAt,
                    sentAt,
                    contentHash,
                    sequence,
                    sessionEndedAt);
        }
    }

    /** A finished command as the Smile encoding kept it. */
    record EarlierFinishedCommand(String contentHash, CommandResult result) {}
}
