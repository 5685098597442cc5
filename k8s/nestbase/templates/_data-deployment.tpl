{{/*
A Deployment of a service that opens the SQLite database on pb_data (records, auth, files):
(dict "root" $ "component" "records"). The pods carry the pb-data label and require a node that
already runs a pod with it, so the ReadWriteOnce volume is mounted on one node only.
*/}}
{{- define "nestbase.dataDeployment" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "nestbase.fullname" $root }}-{{ .component }}
  labels:
    {{- include "nestbase.labels" . | nindent 4 }}
spec:
  replicas: {{ $values.replicas }}
  selector:
    matchLabels:
      {{- include "nestbase.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "nestbase.labels" . | nindent 8 }}
        {{- include "nestbase.dataLabel" $root | nindent 8 }}
      annotations:
        {{- include "nestbase.checksums" $root | nindent 8 }}
    spec:
      {{- include "nestbase.podSpec" $root | nindent 6 }}
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  {{- include "nestbase.dataLabel" $root | nindent 18 }}
              topologyKey: kubernetes.io/hostname
      {{- with include "nestbase.scheduling" (dict "root" $root "component" .component "nodeSelector" $root.Values.dataNodeSelector) }}{{ . | nindent 6 }}{{- end }}
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
          persistentVolumeClaim:
            claimName: {{ include "nestbase.fullname" $root }}-data
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
