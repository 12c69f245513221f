package io.ocppgw.route;

import com.fasterxml.jackson.annotation.JsonValue;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.JsonSerde;
import java.util.Arrays;
import java.util.Objects;

/**
 * A command as its ledger entry keeps it: the record's own bytes, as the backend wrote them, with the
 * fields the rules read on every step beside them. The whole command is parsed only when it is needed
 * (routed again after it was stored, or shown by a query): most commands are routed once, right when
 * they are read, and then only their reports come by.
 */
final class StoredCommand {

    private static final JsonSerde<Command> COMMANDS = JsonSerde.of(Command.class);

    private final String commandId;
    private final String chargePointId;
    private final Command.Kind kind;
    private final Command.OfflinePolicy offlinePolicy;
    private final byte[] json;
    private Command parsed;

    private StoredCommand(
            String commandId,
            String chargePointId,
            Command.Kind kind,
            Command.OfflinePolicy offlinePolicy,
            byte[] json,
            Command parsed) {
        this.commandId = Objects.requireNonNull(commandId, "commandId");
        this.chargePointId = Objects.requireNonNull(chargePointId, "chargePointId");
        this.kind = kind;
        this.offlinePolicy = offlinePolicy;
        this.json = json;
        this.parsed = parsed;
    }

    /** A command just read: {@code json} are the bytes it was read from. */
    static StoredCommand of(Command command, byte[] json) {
        return new StoredCommand(
                command.commandId(), command.chargePointId(), command.kind(), command.offlinePolicy(), json, command);
    }

    /** A command an earlier version kept parsed: its bytes are written afresh. */
    static StoredCommand of(Command command) {
        return of(command, COMMANDS.serialize(null, command));
    }

    /** A command as a store kept it; parsed from {@code json} when first asked for. */
    static StoredCommand stored(
            String commandId,
            String chargePointId,
            Command.Kind kind,
            Command.OfflinePolicy offlinePolicy,
            byte[] json) {
        return new StoredCommand(commandId, chargePointId, kind, offlinePolicy, json, null);
    }

    String commandId() {
        return commandId;
    }

    String chargePointId() {
        return chargePointId;
    }

    Command.Kind kind() {
        return kind;
    }

    Command.OfflinePolicy offlinePolicy() {
        return offlinePolicy;
    }

    /** The record's bytes, to be stored as they are (never modified). */
    byte[] json() {
        return json;
    }

    /** The whole command. */
    @JsonValue
    Command parsed() {
        if (parsed == null) {
            parsed = COMMANDS.deserialize("command-ledger", json);
        }
        return parsed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredCommand s && Arrays.equals(json, s.json);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        return "StoredCommand[" + chargePointId + ":" + commandId + "]";
    }
}
