package io.ocppgw.helm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chart rendered by a real Helm engine ({@code helm template}) and parsed into Kubernetes model
 * objects (fabric8), so tests assert on objects rather than on text. Kinds the model does not know
 * (ServiceMonitor, PrometheusRule) stay generic.
 */
final class RenderedChart {

    static final Path CHART = Path.of("ocpp-gateway");
    static final Path PRODUCTION_VALUES = Path.of("examples", "production-values.yaml");
    static final String RELEASE = "gw";
    static final String NAMESPACE = "charging";
    /** A supported cluster version (the chart requires 1.27+; Helm's offline default is older). */
    static final String KUBE_VERSION = "1.31.0";

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "StatefulSet",
            StatefulSet.class,
            "Service",
            Service.class,
            "ServiceAccount",
            ServiceAccount.class,
            "PodDisruptionBudget",
            PodDisruptionBudget.class,
            "Job",
            Job.class,
            "Ingress",
            Ingress.class,
            "NetworkPolicy",
            NetworkPolicy.class,
            "ConfigMap",
            ConfigMap.class);

    final List<HasMetadata> objects;

    private RenderedChart(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** {@code helm template gw ocpp-gateway -n charging --kube-version 1.31.0 [-f values] [--set k=v …]}; Helm's error as an exception. */
    static RenderedChart render(Path valuesFile, Map<String, String> set) {
        TemplateCommand template = new Helm(CHART)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return parse(template.call());
    }

    static RenderedChart defaults() {
        return render(null, Map.of());
    }

    static RenderedChart production() {
        return render(PRODUCTION_VALUES, Map.of());
    }

    private static RenderedChart parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifests)) {
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                Class<? extends HasMetadata> type =
                        KINDS.getOrDefault(doc.path("kind").asText(), GenericKubernetesResource.class);
                objects.add(YAML.treeToValue(doc, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the rendered chart is not valid Kubernetes YAML", e);
        }
        return new RenderedChart(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in " + names()));
    }

    List<GenericKubernetesResource> ofKind(String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast)
                .toList();
    }

    List<String> names() {
        return objects.stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();
    }
}
