{{/* Names */}}
{{- define "ocpp-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ocpp-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The name of one component's objects: <fullname>-<component> (edge pods are <fullname>-edge-<ordinal>). */}}
{{- define "ocpp-gateway.component" -}}
{{- printf "%s-%s" (include "ocpp-gateway.fullname" .root) .component }}
{{- end }}

{{- define "ocpp-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ocpp-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels: the standard app.kubernetes.io set; selector labels are the stable subset. */}}
{{- define "ocpp-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ocpp-gateway.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ocpp-gateway.labels" -}}
{{ include "ocpp-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ include "ocpp-gateway.imageTag" .root | quote }}
app.kubernetes.io/part-of: ocpp-gateway
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The image: tag defaults to appVersion; `latest` is refused (a rollout must name what it runs). */}}
{{- define "ocpp-gateway.imageTag" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag | toString }}
{{- if eq $tag "latest" }}
{{- fail "image.tag: `latest` is refused; name the release to run (default: the chart's appVersion)" }}
{{- end }}
{{- $tag }}
{{- end }}

{{- define "ocpp-gateway.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "ocpp-gateway.imageTag" .) }}
{{- end }}

{{/* Checks of values that would otherwise fail late or silently; each names the value and the rule. */}}
{{- define "ocpp-gateway.validate" -}}
{{- $v := .Values }}
{{- if not $v.kafka.bootstrapServers }}
{{- fail "kafka.bootstrapServers is required: the Kafka cluster's bootstrap servers, e.g. my-cluster-kafka-bootstrap:9092" }}
{{- end }}
{{- if gt (int $v.edge.replicas) (int $v.topics.downPartitions) }}
{{- fail (printf "edge.replicas=%d exceeds topics.downPartitions=%d: each edge pod needs its own commands-down partition (its ordinal); raise topics.downPartitions first (docs/operations.md, scaling beyond D)" (int $v.edge.replicas) (int $v.topics.downPartitions)) }}
{{- end }}
{{- if le (int $v.edge.terminationGracePeriodSeconds) (add (int $v.edge.preStopSleepSeconds) (int $v.edge.drainWindowSeconds)) }}
{{- fail (printf "edge.terminationGracePeriodSeconds=%d must exceed edge.preStopSleepSeconds + edge.drainWindowSeconds = %d, or pods are killed mid-drain" (int $v.edge.terminationGracePeriodSeconds) (add (int $v.edge.preStopSleepSeconds) (int $v.edge.drainWindowSeconds))) }}
{{- end }}
{{- $p := int $v.edge.securityProfile }}
{{- if not (has $p (list 0 1 2 3)) }}
{{- fail (printf "edge.securityProfile=%v: must be 0, 1, 2 or 3" $v.edge.securityProfile) }}
{{- end }}
{{- if and (eq $p 0) (not $v.edge.allowInsecure) }}
{{- fail "edge.securityProfile=0 accepts any charge point without authentication: set edge.allowInsecure=true to mean it (never on a network charge points reach)" }}
{{- end }}
{{- if and (ge $p 2) (not $v.edge.tls.secretName) }}
{{- fail (printf "edge.tls.secretName is required with edge.securityProfile=%d: a Secret with keystore.p12 and keystore-password" $p) }}
{{- end }}
{{- if and (eq $p 3) (not $v.edge.tls.clientCaSecretName) }}
{{- fail "edge.tls.clientCaSecretName is required with edge.securityProfile=3: a Secret with truststore.p12 and truststore-password" }}
{{- end }}
{{- if and (or (eq $p 1) (eq $p 2)) (not $v.edge.credentials.secretName) }}
{{- fail (printf "edge.credentials.secretName is required with edge.securityProfile=%d: a Secret with key `credentials`" $p) }}
{{- end }}
{{- range $c := list "route" "reconcile" }}
{{- $g := (index $v $c).processingGuarantee }}
{{- if not (has $g (list "exactly_once_v2" "at_least_once")) }}
{{- fail (printf "%s.processingGuarantee=%s: must be exactly_once_v2 or at_least_once" $c $g) }}
{{- end }}
{{- end }}
{{- range $c := list "edge" "route" "reconcile" }}
{{- $a := (index $v $c).antiAffinity }}
{{- if not (has $a (list "soft" "hard" "none")) }}
{{- fail (printf "%s.antiAffinity=%s: must be soft, hard or none" $c $a) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Kafka settings every container gets, from one place in values. */}}
{{- define "ocpp-gateway.kafkaEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: OCPPGW_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
{{- range $k, $val := .Values.kafka.config }}
- name: {{ printf "KAFKA_%s" ($k | upper | replace "." "_" | replace "-" "_") }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- end }}

{{- define "ocpp-gateway.kafkaEnvFrom" -}}
{{- with .Values.kafka.existingSecret }}
envFrom:
  - secretRef:
      name: {{ . }}
{{- end }}
{{- end }}

{{/* Volumes every pod has: /tmp for the JVM (the root file system is read-only) and Kafka's TLS files. */}}
{{- define "ocpp-gateway.commonVolumes" -}}
- name: tmp
  emptyDir: {}
{{- with .Values.kafka.tls.secretName }}
- name: kafka-tls
  secret:
    secretName: {{ . }}
{{- end }}
{{- end }}

{{- define "ocpp-gateway.commonVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.secretName }}
- name: kafka-tls
  mountPath: {{ .Values.kafka.tls.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{/* Extra OCPPGW_* settings of a component, from a map. */}}
{{- define "ocpp-gateway.extraEnv" -}}
{{- range $k, $val := . }}
- name: {{ $k }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- end }}

{{/* Scrape annotations for a pod whose metrics are on `port`. */}}
{{- define "ocpp-gateway.scrapeAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end }}

{{/* Pod anti-affinity on the component's selector labels: soft, hard or none. */}}
{{- define "ocpp-gateway.antiAffinity" -}}
{{- if eq .mode "hard" }}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- include "ocpp-gateway.selectorLabels" . | nindent 10 }}
{{- else if eq .mode "soft" }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "ocpp-gateway.selectorLabels" . | nindent 12 }}
{{- end }}
{{- end }}

{{/* Liveness and readiness on the admin port. */}}
{{- define "ocpp-gateway.probes" -}}
startupProbe:
  httpGet: {path: /health/live, port: admin}
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /health/live, port: admin}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /health/ready, port: admin}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end }}
