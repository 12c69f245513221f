package io.ocppgw.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingTest {

    private final PrintStream originalOut = System.out;

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        Logging.configure(Logging.Format.TEXT, Logging.Threshold.INFO);
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWithStableKeys() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Logging.configure(Logging.Format.JSON, Logging.Threshold.INFO);

        MDC.put("chargePointId", "CP-1");
        try {
            LoggerFactory.getLogger("io.ocppgw.test").info("session opened on {}", "edge-gateway-0");
            LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("chatty kafka line");
        } finally {
            MDC.remove("chargePointId");
        }

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.get("message").asText()).isEqualTo("session opened on edge-gateway-0");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("chargePointId").asText()).isEqualTo("CP-1");
    }

    @Test
    void shouldCarryKeyValuePairsAsFieldsInJsonAndAsKeyEqualsValueInText() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Logging.configure(Logging.Format.JSON, Logging.Threshold.INFO);
        LoggerFactory.getLogger("io.ocppgw.test")
                .atInfo()
                .setMessage("command finished")
                .addKeyValue("chargePointId", "CP-7")
                .addKeyValue("status", "EXPIRED")
                .log();
        Logging.configure(Logging.Format.TEXT, Logging.Threshold.INFO);
        LoggerFactory.getLogger("io.ocppgw.test")
                .atInfo()
                .setMessage("command finished")
                .addKeyValue("chargePointId", "CP-8")
                .log();

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertThat(json.get("message").asText()).isEqualTo("command finished");
        assertThat(json.get("chargePointId").asText()).as("a field of its own").isEqualTo("CP-7");
        assertThat(json.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(lines[1]).contains("chargePointId=\"CP-8\"").contains("command finished");
    }
}
