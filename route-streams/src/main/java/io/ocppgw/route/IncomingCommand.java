package io.ocppgw.route;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.JsonSerde;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A record of {@code commands} as route-streams reads it: a command it can read, or one it cannot read
 * but can still answer (its commandId and chargePointId are readable, so it gets a REJECTED result
 * naming the problem). Anything less readable than that is no command at all: the deserializer throws
 * and the record is dead-lettered.
 */
sealed interface IncomingCommand {

    /** Header on a command route-streams wrote again onto its key's partition: the partition it first came on. */
    String REKEYED_FROM = "ocppgw.rekeyed-from";

    /**
     * @param raw         the record's bytes
     * @param contentHash a hash of the record's bytes: the same command written again has the same
     * @param rekeyed     whether route-streams already moved it to its key's partition
     */
    record Readable(Command command, byte[] raw, String contentHash, boolean rekeyed) implements IncomingCommand {

        /** The record's size. */
        int bytes() {
            return raw.length;
        }
    }

    record Unreadable(String commandId, String chargePointId, String problem) implements IncomingCommand {}

    /** Reads {@code commands}: the contract's JSON, leniently enough to answer what it cannot use. */
    final class Reader implements Deserializer<IncomingCommand> {
        private static final ObjectReader COMMANDS = JsonSerde.MAPPER.readerFor(Command.class);
        private static final ObjectReader TREES = JsonSerde.MAPPER.readerFor(JsonNode.class);

        @Override
        public IncomingCommand deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data);
        }

        @Override
        public IncomingCommand deserialize(String topic, Headers headers, byte[] data) {
            if (data == null) {
                return null;
            }
            boolean rekeyed = headers != null && headers.lastHeader(REKEYED_FROM) != null;
            try {
                Command command = COMMANDS.readValue(data);
                if (command.commandId() == null || command.chargePointId() == null) {
                    throw new SerializationException(
                            "a command on " + topic + " without a commandId and chargePointId");
                }
                return new Readable(command, data, contentHash(data), rekeyed);
            } catch (JsonMappingException unmappable) {
                return answerable(topic, data, unmappable);
            } catch (IOException e) {
                throw new SerializationException(
                        "not a command on " + topic + ": " + e.getClass().getSimpleName(), e);
            }
        }

        /** 128 bits of the SHA-256 of the record's bytes. */
        static String contentHash(byte[] data) {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing", e);
            }
        }

        /** JSON, but not a command this version can read: answerable if its ids can be read. */
        private static IncomingCommand answerable(String topic, byte[] data, JsonMappingException problem) {
            JsonNode tree;
            try {
                tree = TREES.readValue(data);
            } catch (IOException e) {
                throw new SerializationException(
                        "not a command on " + topic + ": " + e.getClass().getSimpleName(), e);
            }
            JsonNode id = tree.path("commandId");
            JsonNode cp = tree.path("chargePointId");
            if (!id.isTextual() || !cp.isTextual()) {
                throw new SerializationException(
                        "a command on " + topic + " without a readable commandId and chargePointId", problem);
            }
            String field = problem.getPath().stream()
                    .map(JsonMappingException.Reference::getFieldName)
                    .filter(f -> f != null)
                    .collect(Collectors.joining("."));
            return new Unreadable(
                    id.asText(),
                    cp.asText(),
                    field.isEmpty()
                            ? "the command cannot be read"
                            : "'" + field
                                    + "' cannot be read (a value this version does not know, or of the wrong type)");
        }
    }
}
