{{- define "meshlint.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "meshlint.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "meshlint.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "meshlint.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "meshlint.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshlint.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "meshlint.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "meshlint.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/part-of: meshlint
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "meshlint.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "meshlint.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "meshlint.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret holding the serving certificate, whichever mode makes it. */}}
{{- define "meshlint.tlsSecret" -}}
{{- $m := .Values.certificates.mode -}}
{{- if eq $m "certManager" -}}
{{- printf "%s-tls" (include "meshlint.fullname" .) -}}
{{- else if eq $m "existingSecret" -}}
{{- required "certificates.existingSecret.name is required with certificates.mode=existingSecret" .Values.certificates.existingSecret.name -}}
{{- else if eq $m "selfManaged" -}}
{{- default (printf "%s-tls" (include "meshlint.fullname" .)) .Values.certificates.selfManaged.secretName -}}
{{- else -}}
{{- fail (printf "certificates.mode must be certManager, existingSecret or selfManaged, not %q" $m) -}}
{{- end -}}
{{- end -}}

{{/* Namespaces the API server never sends: kube-system, the release namespace, and any others. */}}
{{- define "meshlint.excludedNamespaces" -}}
{{- $ns := list "kube-system" .Release.Namespace -}}
{{- range .Values.webhook.excludedNamespaces }}{{ $ns = append $ns . }}{{ end -}}
{{- toJson (uniq $ns) -}}
{{- end -}}

{{- define "meshlint.stateConfigMap" -}}
{{- default (printf "%s-state" (include "meshlint.fullname" .)) .Values.state.existingConfigMap -}}
{{- end -}}

{{- define "meshlint.config" -}}
{{- $excluded := list "kube-system" .Release.Namespace -}}
{{- range .Values.config.excludedNamespaces }}{{ $excluded = append $excluded . }}{{ end -}}
{{- $c := dict "enforcement" .Values.config.enforcement "dryRun" .Values.config.dryRun "excludedNamespaces" (uniq $excluded) -}}
{{- if .Values.config.rules }}{{ $_ := set $c "rules" .Values.config.rules }}{{ end -}}
{{- toYaml (merge $c .Values.config.extra) -}}
{{- end -}}
