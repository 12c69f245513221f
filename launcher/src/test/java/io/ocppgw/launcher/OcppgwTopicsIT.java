package io.ocppgw.launcher;

import static io.ocppgw.launcher.OcppgwJar.JAR;
import static io.ocppgw.launcher.OcppgwJar.ocppgw;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.launcher.OcppgwJar.Run;
import io.ocppgw.topics.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real jar, run as a separate process, against a real broker. */
@WithKafkaBroker
class OcppgwTopicsIT {

    @Test
    void shouldApplyThenVerifyTheDesignsTopicsAndReapplyAsANoOp(EmbeddedKafka kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();

        Run apply = ocppgw(
                Map.of(),
                "topics",
                "apply",
                "--bootstrap-server",
                bootstrap,
                "--profile",
                "dev",
                "--topic-prefix",
                "cli.");
        Run verify = ocppgw(
                Map.of(),
                "topics",
                "verify",
                "--bootstrap-server",
                bootstrap,
                "--profile",
                "dev",
                "--topic-prefix",
                "cli.");
        Run again = ocppgw(
                Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
                "topics",
                "apply",
                "--profile",
                "dev",
                "--topic-prefix",
                "cli.");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        for (Topic t : Topic.values()) {
            assertThat(apply.out()).contains("create   cli." + t.baseName());
            assertThat(verify.out()).contains("ok       cli." + t.baseName());
        }
        assertThat(apply.out()).contains("Applied 11 change(s).");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("In sync.");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("Nothing to change.");
    }

    @Test
    void shouldRefuseAPartitionChangeAndReportDriftWithNonZeroExits(EmbeddedKafka kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        assertThat(ocppgw(
                                Map.of(),
                                "topics",
                                "apply",
                                "--bootstrap-server",
                                bootstrap,
                                "--profile",
                                "dev",
                                "--topic-prefix",
                                "cli2.")
                        .exitCode())
                .isZero();

        Run refused = ocppgw(
                Map.of("OCPPGW_PARTITIONS", "8"),
                "topics",
                "apply",
                "--bootstrap-server",
                bootstrap,
                "--profile",
                "dev",
                "--topic-prefix",
                "cli2.");
        Run drift = ocppgw(
                Map.of(),
                "topics",
                "verify",
                "--bootstrap-server",
                bootstrap,
                "--profile",
                "dev",
                "--topic-prefix",
                "cli2.",
                "--down-partitions",
                "16");
        Run prodOnOneBroker =
                ocppgw(Map.of(), "topics", "apply", "--bootstrap-server", bootstrap, "--topic-prefix", "cli3.");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("REFUSED  cli2.ocpp-journal").contains("--allow-repartition");
        assertThat(refused.err()).contains("nothing changed");
        assertThat(drift.exitCode()).isEqualTo(1);
        assertThat(drift.out()).containsPattern("extend +cli2.commands-down +partitions: 8 -> 16");
        assertThat(drift.err()).contains("Drift");
        assertThat(prodOnOneBroker.exitCode()).isEqualTo(1);
        assertThat(prodOnOneBroker.err()).contains("1 broker(s)").contains("--profile dev");
    }

    @Test
    void shouldExplainBadUsageWithExitCodeTwo() throws Exception {
        Run badValue =
                ocppgw(Map.of("OCPPGW_PARTITIONS", "abc"), "topics", "plan", "--bootstrap-server", "127.0.0.1:1");
        Run missing = ocppgw(Map.of(), "topics", "plan");
        Run badLogFormat = ocppgw(Map.of("OCPPGW_LOG_FORMAT", "xml"), "--version");

        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("'--partitions'").contains("'abc'").contains("OCPPGW_PARTITIONS");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--bootstrap-server");
        assertThat(badLogFormat.exitCode()).isEqualTo(2);
        assertThat(badLogFormat.err()).contains("OCPPGW_LOG_FORMAT='xml'").contains("text, json");
    }

    @Test
    void shouldPrintItsVersionAndHelp() throws Exception {
        Run version = ocppgw(Map.of(), "--version");
        Run help = ocppgw(Map.of(), "--help");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("ocppgw 0.");
        assertThat(help.out()).contains("topics").contains("kafka");
    }

    @Test
    void shouldRunADevelopmentBrokerWithTheTopicsCreated() throws Exception {
        Path log = Files.createTempFile("ocppgw-kafka", ".log");
        Path data = Files.createTempDirectory("ocppgw-kafka-data");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        JAR.toString(),
                        "kafka",
                        "--kafka-port",
                        "0",
                        "--data-dir",
                        data.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String ready = org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(90))
                    .until(
                            () -> Files.readString(log),
                            s -> s.contains("Kafka broker ready: --bootstrap-server") || !p.isAlive());
            assertThat(ready).contains("create   ocpp-journal");
            String bootstrap = ready.replaceAll("(?s).*--bootstrap-server (\\S+).*", "$1");

            Run verify = ocppgw(Map.of(), "topics", "verify", "--bootstrap-server", bootstrap, "--profile", "dev");

            assertThat(verify.exitCode()).as(verify.toString()).isZero();
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }
}
