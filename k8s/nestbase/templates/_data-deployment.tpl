{{/*
A Deployment of a service that opens the database (records, auth, files): (dict "root" $ "component"
"records"). On SQLite the pods carry the pb-data label and require a node that already runs a pod with it,
so the ReadWriteOnce volume is mounted on one node only. On PostgreSQL (database.url/existingSecret) they mount
no claim (pb_data is an emptyDir: the pod's own logs database), go anywhere, and an HPA may own the replicas.
*/}}
{{- define "nestbase.dataDeployment" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .component -}}
{{- $postgres := include "nestbase.postgres" $root -}}
{{- $autoscaled := and $postgres (dig "autoscaling" "enabled" false $values) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "nestbase.fullname" $root }}-{{ .component }}
  labels:
    {{- include "nestbase.labels" . | nindent 4 }}
spec:
  {{- if not $autoscaled }}
  replicas: {{ $values.replicas }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "nestbase.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "nestbase.labels" . | nindent 8 }}
        {{- if not $postgres }}
        {{- include "nestbase.dataLabel" $root | nindent 8 }}
        {{- end }}
      annotations:
        {{- include "nestbase.checksums" $root | nindent 8 }}
    spec:
      {{- include "nestbase.podSpec" $root | nindent 6 }}
      {{- if $postgres }}
      {{- with include "nestbase.scheduling" (dict "root" $root "component" .component) }}{{ . | nindent 6 }}{{- end }}
      {{- else }}
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  {{- include "nestbase.dataLabel" $root | nindent 18 }}
              topologyKey: kubernetes.io/hostname
      {{- with include "nestbase.scheduling" (dict "root" $root "component" .component "nodeSelector" $root.Values.dataNodeSelector) }}{{ . | nindent 6 }}{{- end }}
      {{- end }}
      {{- if ne .component "records" }}
      initContainers:
        {{- include "nestbase.waitForRecords" $root | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          {{- include "nestbase.image" $root | nindent 10 }}
          args:
            - {{ .component }}
          envFrom:
            - configMapRef:
                name: {{ include "nestbase.fullname" $root }}-env
          env:
            - name: NB_JOB_WORKERS
              value: {{ $values.jobWorkers | quote }}
            {{- range $key := list "REDIS_URL" "NB_INTERNAL_SECRET" "S3_ACCESS_KEY" "S3_SECRET" }}
            {{- include "nestbase.secretEnv" (dict "root" $root "key" $key) | nindent 12 }}
            {{- end }}
            {{- include "nestbase.secretEnv" (dict "root" $root "key" "NB_METRICS_TOKEN" "optional" true) | nindent 12 }}
            {{- if $postgres }}
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.database.existingSecret | default ($root.Values.existingSecret | default (include "nestbase.fullname" $root)) }}
                  key: {{ if $root.Values.database.existingSecret }}{{ $root.Values.database.existingSecretKey }}{{ else }}DATABASE_URL{{ end }}
            - name: NB_DB_POOL_MAX
              value: {{ $root.Values.database.poolMax | quote }}
            {{- end }}
            {{- if eq .component "records" }}
            {{- range $key := list "PB_ADMIN_EMAIL" "PB_ADMIN_PASSWORD" }}
            {{- include "nestbase.secretEnv" (dict "root" $root "key" $key "optional" true) | nindent 12 }}
            {{- end }}
            {{- end }}
            {{- with include "nestbase.extraEnv" . }}{{ . | nindent 12 }}{{- end }}
          {{- include "nestbase.containerCommon" $root | nindent 10 }}
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          volumeMounts:
            - name: pb-data
              mountPath: /pb_data
            {{- include "nestbase.tmpMount" $root | nindent 12 }}
            {{- if $root.Values.hooksConfigMap }}
            - name: pb-hooks
              mountPath: /pb_hooks
              readOnly: true
            {{- end }}
            {{- if and (eq .component "records") $root.Values.migrationsConfigMap }}
            - name: pb-migrations
              mountPath: /pb_migrations
              readOnly: true
            {{- end }}
      volumes:
        - name: pb-data
          {{- if $postgres }}
          emptyDir: {}
          {{- else }}
          persistentVolumeClaim:
            claimName: {{ include "nestbase.fullname" $root }}-data
          {{- end }}
        {{- include "nestbase.tmpVolume" $root | nindent 8 }}
        {{- if $root.Values.hooksConfigMap }}
        - name: pb-hooks
          configMap:
            name: {{ $root.Values.hooksConfigMap }}
        {{- end }}
        {{- if and (eq .component "records") $root.Values.migrationsConfigMap }}
        - name: pb-migrations
          configMap:
            name: {{ $root.Values.migrationsConfigMap }}
        {{- end }}
{{- end }}
