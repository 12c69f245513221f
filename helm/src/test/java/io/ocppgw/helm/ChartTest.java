package io.ocppgw.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.ocppgw.topics.DownPartitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart through a real Helm engine: lint, render with default and production-like values, assert on the objects. */
class ChartTest {

    private static final String EDGE = "gw-ocpp-gateway-edge";
    private static final String ROUTE = "gw-ocpp-gateway-route";
    private static final String RECONCILE = "gw-ocpp-gateway-reconcile";

    @Test
    void shouldLintClean() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void shouldRenderEveryComponentWithDefaultValues() {
        RenderedChart chart = RenderedChart.defaults();

        assertThat(chart.names())
                .contains(
                        "StatefulSet/" + EDGE,
                        "StatefulSet/" + ROUTE,
                        "StatefulSet/" + RECONCILE,
                        "Service/" + EDGE,
                        "Service/" + EDGE + "-headless",
                        "Service/" + ROUTE,
                        "Service/" + ROUTE + "-headless",
                        "Service/" + RECONCILE,
                        "Service/" + RECONCILE + "-headless",
                        "PodDisruptionBudget/" + EDGE,
                        "PodDisruptionBudget/" + ROUTE,
                        "PodDisruptionBudget/" + RECONCILE,
                        "ServiceAccount/gw-ocpp-gateway");
        assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
        assertThat(chart.ofKind("PrometheusRule")).isEmpty();
        assertThat(chart.all(NetworkPolicy.class)).isEmpty();
    }

    @Test
    void shouldRenderTheProductionExampleWithMonitoringAndPolicies() {
        RenderedChart chart = RenderedChart.production();

        assertThat(chart.one(StatefulSet.class, EDGE).getSpec().getReplicas()).isEqualTo(8);
        assertThat(chart.ofKind("ServiceMonitor"))
                .extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder(EDGE, ROUTE, RECONCILE);
        assertThat(chart.ofKind("ServiceMonitor"))
                .allSatisfy(
                        m -> assertThat(m.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack"));
        // each pod is scraped once: every ServiceMonitor selects exactly one Service, the one with the admin port
        for (GenericKubernetesResource monitor : chart.ofKind("ServiceMonitor")) {
            @SuppressWarnings("unchecked")
            Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) ((Map<String, Object>)
                                    monitor.getAdditionalProperties().get("spec"))
                            .get("selector"))
                    .get("matchLabels");
            List<Service> selected = chart.all(Service.class).stream()
                    .filter(svc -> svc.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            assertThat(selected)
                    .as(monitor.getMetadata().getName())
                    .singleElement()
                    .satisfies(svc -> assertThat(svc.getSpec().getPorts())
                            .extracting(p -> p.getName())
                            .contains("admin"));
        }
        assertThat(chart.all(NetworkPolicy.class)).hasSize(3);
        GenericKubernetesResource rule = chart.ofKind("PrometheusRule").get(0);
        assertThat(alertNames(rule))
                .containsExactlyInAnyOrder(
                        "OcppGatewayNoReadyEdgePods",
                        "OcppGatewayPersistLatencyHigh",
                        "OcppGatewayStreamsNotRunning",
                        "OcppGatewayStreamsLagging",
                        "OcppGatewayCommandsFailing",
                        "OcppGatewayBadRecords",
                        "OcppGatewayTransactionsUnresolved",
                        "OcppGatewayConnectionsNearCap");
    }

    @Test
    void shouldShipTheGrafanaDashboardAsASidecarConfigMapOnlyWhenAskedFor() throws IOException {
        assertThat(RenderedChart.defaults().all(ConfigMap.class)).isEmpty();

        RenderedChart chart = RenderedChart.render(
                null,
                Map.of(
                        "metrics.grafanaDashboard.enabled",
                        "true",
                        "metrics.grafanaDashboard.annotations.grafana_folder",
                        "Charging"));

        ConfigMap dashboard = chart.one(ConfigMap.class, "gw-ocpp-gateway-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Charging");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("ocpp-gateway.json"));
        assertThat(json)
                .as("the file, unchanged")
                .isEqualTo(new ObjectMapper()
                        .readTree(RenderedChart.CHART
                                .resolve("dashboards/ocpp-gateway.json")
                                .toFile()));
        List<JsonNode> panels = new ArrayList<>();
        json.path("panels").forEach(p -> {
            if (!"row".equals(p.path("type").asText())) {
                panels.add(p);
            }
        });
        assertThat(panels).hasSizeGreaterThan(10).allSatisfy(p -> {
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            p.path("targets")
                    .forEach(t -> assertThat(t.path("expr").asText())
                            .as(p.path("title").asText())
                            .contains("namespace=~\"$namespace\""));
        });
        assertThat(json.path("templating").path("list"))
                .extracting(v -> v.path("name").asText())
                .contains("datasource", "namespace");
    }

    @Test
    void shouldRefuseMoreEdgePodsThanCommandsDownPartitions() {
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("edge.replicas", "9", "topics.downPartitions", "8")))
                .hasMessageContaining("edge.replicas=9 exceeds topics.downPartitions=8");

        assertThat(RenderedChart.render(null, Map.of("edge.replicas", "8", "topics.downPartitions", "8"))
                        .one(StatefulSet.class, EDGE)
                        .getSpec()
                        .getReplicas())
                .isEqualTo(8);
    }

    @Test
    void shouldGiveEachEdgePodTheCommandsDownPartitionOfItsOrdinal() {
        StatefulSet edge = RenderedChart.defaults().one(StatefulSet.class, EDGE);

        EnvVar podId = env(container(edge), "OCPPGW_POD_ID").orElseThrow();
        assertThat(podId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(edge.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        // a StatefulSet's pods are <name>-<ordinal>: the edge's partition function must read the ordinal back
        for (int ordinal = 0; ordinal < edge.getSpec().getReplicas(); ordinal++) {
            assertThat(DownPartitions.partitionFor(edge.getMetadata().getName() + "-" + ordinal, 128))
                    .isEqualTo(ordinal);
        }
    }

    @Test
    void shouldProbeEveryPodOnItsAdminPort() {
        RenderedChart chart = RenderedChart.production();
        Map<String, Integer> adminPorts = Map.of(EDGE, 9080, ROUTE, 9081, RECONCILE, 9082);

        for (StatefulSet sts : chart.all(StatefulSet.class)) {
            Container c = container(sts);
            ContainerPort admin = c.getPorts().stream()
                    .filter(p -> "admin".equals(p.getName()))
                    .findFirst()
                    .orElseThrow();
            assertThat(admin.getContainerPort())
                    .as(sts.getMetadata().getName())
                    .isEqualTo(adminPorts.get(sts.getMetadata().getName()));
            for (Probe probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("admin");
            }
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
            assertThat(env(c, "OCPPGW_ADMIN_PORT").orElseThrow().getValue())
                    .isEqualTo(String.valueOf(admin.getContainerPort()));
            assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/port", String.valueOf(admin.getContainerPort()));
        }
    }

    @Test
    void shouldKeepStreamsStateOnVolumesWithStaticMembershipAndPodDnsNames() {
        RenderedChart chart = RenderedChart.production();

        for (String name : List.of(ROUTE, RECONCILE)) {
            StatefulSet sts = chart.one(StatefulSet.class, name);
            Container c = container(sts);
            assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(pvc -> {
                assertThat(pvc.getMetadata().getName()).isEqualTo("state");
                assertThat(pvc.getSpec()
                                .getResources()
                                .getRequests()
                                .get("storage")
                                .toString())
                        .isEqualTo("20Gi");
                assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("gp3");
            });
            assertThat(c.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getName()).isEqualTo("state");
                assertThat(m.getMountPath())
                        .isEqualTo(env(c, "OCPPGW_STATE_DIR").orElseThrow().getValue());
            });
            assertThat(env(c, "OCPPGW_INSTANCE_ID").orElseThrow().getValue()).isEqualTo("$(POD_NAME)");
            assertThat(env(c, "OCPPGW_STANDBY_REPLICAS").orElseThrow().getValue())
                    .isEqualTo("1");
            assertThat(env(c, "OCPPGW_ADVERTISED_HOST").orElseThrow().getValue())
                    .isEqualTo("$(POD_NAME)." + sts.getSpec().getServiceName() + ".$(POD_NAMESPACE).svc");
            Service headless = chart.one(Service.class, sts.getSpec().getServiceName());
            assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
            assertThat(headless.getSpec().getSelector())
                    .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
            assertThat(c.getArgs()).containsExactly(name.equals(ROUTE) ? "route" : "reconcile");
        }
    }

    @Test
    void shouldApplyTopicsInAHookBeforeInstallAndUpgrade() throws IOException {
        // helm-java's template leaves hooks out of its output (as `helm template --no-hooks`): the Job missing is Helm
        // classifying it as a hook; with the hook value emptied it renders as a plain Job, and its spec can be read
        assertThat(RenderedChart.production().all(Job.class)).isEmpty();
        JsonNode values = new ObjectMapper(new YAMLFactory())
                .readTree(RenderedChart.CHART.resolve("values.yaml").toFile());
        assertThat(values.path("topics").path("hook").asText()).isEqualTo("pre-install,pre-upgrade");

        Job job = RenderedChart.render(RenderedChart.PRODUCTION_VALUES, Map.of("topics.hook", ""))
                .one(Job.class, "gw-ocpp-gateway-topics-apply");
        assertThat(job.getMetadata().getAnnotations()).isNullOrEmpty();
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs())
                .containsExactly(
                        "topics",
                        "apply",
                        "--profile=prod",
                        "--partitions=64",
                        "--down-partitions=32",
                        "--replication-factor=3",
                        "--topic-prefix=prod.");
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        // a hook runs before the chart's own objects exist: it must not need the chart's ServiceAccount
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isNull();
    }

    @Test
    void shouldGiveEveryComponentOneDisruptionBudget() {
        RenderedChart chart = RenderedChart.defaults();

        for (StatefulSet sts : chart.all(StatefulSet.class)) {
            PodDisruptionBudget pdb =
                    chart.one(PodDisruptionBudget.class, sts.getMetadata().getName());
            assertThat(pdb.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        }
    }

    @Test
    void shouldPassKafkaSettingsFromOnePlaceToEveryContainer() {
        RenderedChart chart = RenderedChart.render(RenderedChart.PRODUCTION_VALUES, Map.of("topics.hook", ""));

        List<PodSpec> pods = Stream.concat(
                        chart.all(StatefulSet.class).stream()
                                .map(s -> s.getSpec().getTemplate().getSpec()),
                        chart.all(Job.class).stream()
                                .map(j -> j.getSpec().getTemplate().getSpec()))
                .toList();
        assertThat(pods).hasSize(4);
        for (PodSpec pod : pods) {
            Container c = pod.getContainers().get(0);
            assertThat(env(c, "KAFKA_BOOTSTRAP_SERVERS").orElseThrow().getValue())
                    .isEqualTo("ev-kafka-kafka-bootstrap.kafka.svc:9093");
            assertThat(env(c, "KAFKA_SECURITY_PROTOCOL").orElseThrow().getValue())
                    .isEqualTo("SASL_SSL");
            assertThat(env(c, "KAFKA_SSL_TRUSTSTORE_LOCATION").orElseThrow().getValue())
                    .isEqualTo("/etc/ocppgw/kafka-tls/ca.crt");
            assertThat(env(c, "OCPPGW_TOPIC_PREFIX").orElseThrow().getValue()).isEqualTo("prod.");
            assertThat(c.getEnvFrom())
                    .singleElement()
                    .satisfies(f -> assertThat(f.getSecretRef().getName()).isEqualTo("ocpp-gateway-kafka-user"));
            assertThat(c.getVolumeMounts())
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/ocppgw/kafka-tls"));
            assertThat(pod.getVolumes())
                    .anySatisfy(v -> assertThat(
                                    v.getSecret() != null ? v.getSecret().getSecretName() : "")
                            .isEqualTo("ev-kafka-cluster-ca-cert"));
        }
    }

    @Test
    void shouldRunEveryImageAtTheAppVersionAndRefuseLatest() {
        for (RenderedChart chart : List.of(
                RenderedChart.render(null, Map.of("topics.hook", "")),
                RenderedChart.render(RenderedChart.PRODUCTION_VALUES, Map.of("topics.hook", "")))) {
            assertThat(images(chart)).hasSize(4).allMatch(i -> i.equals("ghcr.io/ocpp-kafka-gateway/ocppgw:0.1.0"));
        }
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("image.tag", "latest")))
                .hasMessageContaining("image.tag: `latest` is refused");
    }

    @Test
    void shouldRunAsNonRootWithAReadOnlyRootFileSystem() {
        for (PodSpec pod : RenderedChart.defaults().all(StatefulSet.class).stream()
                .map(s -> s.getSpec().getTemplate().getSpec())
                .toList()) {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        }
    }

    /** The image the Dockerfile builds runs as the user the chart's pods require, and starts the jar the roles are subcommands of. */
    @Test
    void shouldMatchTheDockerfileItRuns() throws IOException {
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        PodSpec pod = RenderedChart.defaults()
                .one(StatefulSet.class, EDGE)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(dockerfile)
                .containsPattern("(?m)^FROM eclipse-temurin:17[^\\s]*-jre")
                .doesNotContainPattern("(?m)^FROM \\S+:latest")
                .contains("USER " + pod.getSecurityContext().getRunAsUser() + ":"
                        + pod.getSecurityContext().getRunAsGroup())
                .contains("COPY --chown=root:root launcher/target/ocppgw-runtime.jar /opt/ocppgw/ocppgw.jar")
                .contains("\"-jar\", \"/opt/ocppgw/ocppgw.jar\"]");
        // the roles are arguments to the image's entrypoint
        assertThat(pod.getContainers().get(0).getCommand()).isNullOrEmpty();
        assertThat(pod.getContainers().get(0).getArgs()).containsExactly("edge");
    }

    @Test
    void shouldLetTheEdgeDrainBeforeItIsKilled() {
        StatefulSet edge = RenderedChart.production().one(StatefulSet.class, EDGE);
        PodSpec pod = edge.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);

        assertThat(env(c, "OCPPGW_DRAIN_WINDOW").orElseThrow().getValue()).isEqualTo("PT60S");
        assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "10");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(120L);
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("edge.terminationGracePeriodSeconds", "35")))
                .hasMessageContaining(
                        "edge.terminationGracePeriodSeconds=35 must exceed edge.preStopSleepSeconds + edge.drainWindowSeconds = 35");
    }

    @Test
    void shouldMountTheSecretsEachSecurityProfileNeeds() {
        Container profile2 = container(RenderedChart.defaults().one(StatefulSet.class, EDGE));
        assertThat(env(profile2, "OCPPGW_SECURITY_PROFILE").orElseThrow().getValue())
                .isEqualTo("2");
        assertThat(env(profile2, "OCPPGW_TLS_KEYSTORE").orElseThrow().getValue())
                .isEqualTo("/etc/ocppgw/tls/keystore.p12");
        assertThat(env(profile2, "OCPPGW_TLS_KEYSTORE_PASSWORD")
                        .orElseThrow()
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("ocpp-gateway-tls");
        assertThat(env(profile2, "OCPPGW_CREDENTIALS_FILE").orElseThrow().getValue())
                .isEqualTo("/etc/ocppgw/credentials/credentials");
        assertThat(env(profile2, "OCPPGW_TLS_CIPHER_SUITES"))
                .as("the gateway's own default")
                .isEmpty();
        Container narrowed =
                container(RenderedChart.render(null, Map.of("edge.tls.cipherSuites", "TLS_AES_128_GCM_SHA256"))
                        .one(StatefulSet.class, EDGE));
        assertThat(env(narrowed, "OCPPGW_TLS_CIPHER_SUITES").orElseThrow().getValue())
                .isEqualTo("TLS_AES_128_GCM_SHA256");

        Container profile3 = container(
                RenderedChart.render(null, Map.of("edge.securityProfile", "3", "edge.tls.clientCaSecretName", "cp-ca"))
                        .one(StatefulSet.class, EDGE));
        assertThat(env(profile3, "OCPPGW_TLS_TRUSTSTORE").orElseThrow().getValue())
                .isEqualTo("/etc/ocppgw/client-ca/truststore.p12");
        assertThat(env(profile3, "OCPPGW_CREDENTIALS_FILE")).isEmpty();

        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("edge.securityProfile", "3")))
                .hasMessageContaining("edge.tls.clientCaSecretName is required with edge.securityProfile=3");
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("edge.securityProfile", "0")))
                .hasMessageContaining("set edge.allowInsecure=true to mean it");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kafka.bootstrapServers=",
                "route.processingGuarantee=exactly_once",
                "reconcile.antiAffinity=always"
            })
    void shouldRefuseBadValuesNamingTheValue(String setting) {
        String key = setting.substring(0, setting.indexOf('='));

        assertThatThrownBy(() -> RenderedChart.render(null, Map.of(key, setting.substring(setting.indexOf('=') + 1))))
                .hasMessageContaining(key);
    }

    @Test
    void shouldRenderTheIngressForWebSockets() {
        RenderedChart chart = RenderedChart.render(
                null,
                Map.of(
                        "edge.ingress.enabled",
                        "true",
                        "edge.ingress.tlsSecretName",
                        "ocpp-tls",
                        "edge.service.type",
                        "ClusterIP"));

        var ingress = chart.one(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, EDGE);
        assertThat(ingress.getSpec().getTls())
                .singleElement()
                .satisfies(t -> assertThat(t.getSecretName()).isEqualTo("ocpp-tls"));
        assertThat(ingress.getSpec()
                        .getRules()
                        .get(0)
                        .getHttp()
                        .getPaths()
                        .get(0)
                        .getPath())
                .isEqualTo("/ocpp");
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
        assertThat(chart.one(Service.class, EDGE).getSpec().getType()).isEqualTo("ClusterIP");
    }

    /** Every OCPPGW_* variable the chart sets is one the jar reads: the README's configuration tables list them all. */
    @Test
    void shouldSetOnlySettingsTheGatewayDocuments() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> set = new TreeSet<>();
        for (RenderedChart chart : List.of(
                RenderedChart.defaults(),
                RenderedChart.production(),
                RenderedChart.render(
                        null,
                        Map.of(
                                "edge.securityProfile",
                                "3",
                                "edge.tls.clientCaSecretName",
                                "ca",
                                "edge.tls.clientCertOrganization",
                                "ACME")))) {
            chart.all(StatefulSet.class)
                    .forEach(s -> container(s).getEnv().stream()
                            .map(EnvVar::getName)
                            .filter(n -> n.startsWith("OCPPGW_"))
                            .forEach(set::add));
        }
        assertThat(set)
                .hasSizeGreaterThan(15)
                .allSatisfy(name -> assertThat(readme).as(name).contains("`" + name + "`"));
    }

    /** Every key of values.yaml has a {@code # --} comment where it is declared, or sits under a key that has one. */
    @Test
    void shouldDocumentEveryValue() throws IOException {
        List<String> lines = Files.readAllLines(RenderedChart.CHART.resolve("values.yaml"));
        Pattern key = Pattern.compile("^(\\s*)([A-Za-z0-9_.-]+):(.*)$");
        int documentedIndent = Integer.MAX_VALUE;
        int keys = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = key.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            if (indent <= documentedIndent) {
                documentedIndent = Integer.MAX_VALUE;
            }
            boolean leaf = !m.group(3).isBlank();
            boolean documented = hasDocComment(lines, i);
            if (documented && !leaf && documentedIndent == Integer.MAX_VALUE) {
                documentedIndent = indent; // a documented map (e.g. a security context) covers its entries
            }
            if (leaf && documentedIndent == Integer.MAX_VALUE) {
                keys++;
                assertThat(documented)
                        .as(
                                "values.yaml line %d (%s) has no `# --` comment",
                                i + 1, lines.get(i).trim())
                        .isTrue();
            }
        }
        assertThat(keys).isGreaterThan(50);
    }

    /** The comment block right above line {@code i} has a line starting {@code # --}. */
    private static boolean hasDocComment(List<String> lines, int i) {
        for (int j = i - 1; j >= 0 && lines.get(j).trim().startsWith("#"); j--) {
            if (lines.get(j).trim().startsWith("# --")) {
                return true;
            }
        }
        return false;
    }

    private static Container container(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Optional<EnvVar> env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    /** The images of the StatefulSets and Jobs (the topics Job only when rendered with {@code topics.hook=""}). */
    private static List<String> images(RenderedChart chart) {
        return Stream.concat(
                        chart.all(StatefulSet.class).stream()
                                .map(s -> s.getSpec().getTemplate().getSpec()),
                        chart.all(Job.class).stream()
                                .map(j -> j.getSpec().getTemplate().getSpec()))
                .flatMap(p -> p.getContainers().stream())
                .map(Container::getImage)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertNames(GenericKubernetesResource rule) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>)
                ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups");
        return groups.stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .map(r -> (String) r.get("alert"))
                .toList();
    }
}
