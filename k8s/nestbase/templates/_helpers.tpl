{{/* The chart's name, or nameOverride. */}}
{{- define "nestbase.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end }}

{{/* The release's base name: fullnameOverride, or the release name prefixed by the chart's unless it contains it. */}}
{{- define "nestbase.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "nestbase.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/* The service account the pods run as: the chart's (serviceAccount.create) or an existing one. */}}
{{- define "nestbase.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "nestbase.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end }}

{{/* Labels of one component: (dict "root" $ "component" "records"). */}}
{{- define "nestbase.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: nestbase
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "nestbase.selectorLabels" . }}
{{- end }}

{{- define "nestbase.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nestbase.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The label every pod that opens pb_data carries: they are co-scheduled onto one node through it. */}}
{{- define "nestbase.dataLabel" -}}
nestbase.io/pb-data: {{ include "nestbase.fullname" . }}-data
{{- end }}

{{- define "nestbase.serviceUrl" -}}
http://{{ include "nestbase.fullname" .root }}-{{ .component }}:{{ .root.Values.port }}
{{- end }}

{{- define "nestbase.image" -}}
image: {{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
{{- end }}

{{/* Pod-level settings every component shares. */}}
{{- define "nestbase.podSpec" -}}
serviceAccountName: {{ include "nestbase.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{/* The container port and probes: /healthz = the process is up, /readyz = its dependencies answer. */}}
{{- define "nestbase.containerCommon" -}}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
ports:
  - name: http
    containerPort: {{ .Values.port }}
    protocol: TCP
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}

{{/* An init container that waits until the records service is ready (it migrates the database first). */}}
{{- define "nestbase.waitForRecords" -}}
- name: wait-for-records
  {{- include "nestbase.image" . | nindent 2 }}
  command:
    - /bin/sh
    - -c
    - until node docker/healthcheck.js {{ include "nestbase.serviceUrl" (dict "root" . "component" "records") }}/readyz; do sleep 2; done
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
{{- end }}

{{/* One environment variable from the chart's Secret (or existingSecret). */}}
{{- define "nestbase.secretEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.existingSecret | default (include "nestbase.fullname" .root) }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{- define "nestbase.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}

{{/*
X-Forwarded-For hops the services trust: the gateway, and the Ingress controller in front of it when enabled.
*/}}
{{- define "nestbase.trustProxyHops" -}}
{{- if .Values.ingress.enabled }}2{{ else }}1{{ end }}
{{- end }}

{{/*
Scheduling of one component: (dict "root" $ "component" "records" "nodeSelector" extra). Its nodeSelector (merged
over `nodeSelector`, e.g. dataNodeSelector) and tolerations.
*/}}
{{- define "nestbase.scheduling" -}}
{{- $values := index .root.Values .component -}}
{{- $selector := merge (dict) ($values.nodeSelector | default dict) (.nodeSelector | default dict) -}}
{{- with $selector }}
nodeSelector:
  {{- range $label, $value := . }}
  {{ $label }}: {{ $value | quote }}
  {{- end }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* A component's extraEnv entries ({name, value} or {name, valueFrom}), after the chart's own. */}}
{{- define "nestbase.extraEnv" -}}
{{- with (index .root.Values .component).extraEnv }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* The writable /tmp every container gets (the root filesystem is read-only). */}}
{{- define "nestbase.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "nestbase.tmpVolume" -}}
- name: tmp
  emptyDir: {}
{{- end }}

{{/* "true" when the database is PostgreSQL (database.url or database.existingSecret), "" on SQLite. */}}
{{- define "nestbase.postgres" -}}
{{- if or .Values.database.url .Values.database.existingSecret }}true{{ end -}}
{{- end }}

{{/*
The limits every process applies (values `limits`), as ConfigMap data lines. Integers through int64: Helm reads
numbers as floats, which print as 3.3554432e+07.
*/}}
{{- define "nestbase.limitsEnv" -}}
{{- $l := .Values.limits -}}
NB_MAX_CONNECTIONS: {{ $l.maxConnections | int64 | quote }}
NB_BODY_LIMIT: {{ $l.bodyLimit | int64 | quote }}
NB_HTTP_HEADERS_TIMEOUT_MS: {{ $l.headersTimeoutMs | int64 | quote }}
NB_HTTP_REQUEST_TIMEOUT_MS: {{ $l.requestTimeoutMs | int64 | quote }}
NB_HTTP_IDLE_TIMEOUT_MS: {{ $l.idleTimeoutMs | int64 | quote }}
NB_HTTP_KEEP_ALIVE_TIMEOUT_MS: {{ $l.keepAliveTimeoutMs | int64 | quote }}
NB_HTTP_BODY_MIN_RATE: {{ $l.bodyMinRate | int64 | quote }}
NB_HTTP_BODY_RATE_WINDOW_MS: {{ $l.bodyRateWindowMs | int64 | quote }}
{{- end }}
