#!/usr/bin/env bash
# Webhook latency at about 200 requests/s against offline states of 1k, 10k and 100k resources, next
# to nginx answering a fixed AdmissionReview over the same TLS settings, through wrk's C client
# pacing 4 connections (bench/latency/check.lua: every answer checked). A decision's cost should
# not grow with the state: compare the p99s. --platform: platform states of 10k and 100k resources
# and the realistic mix, paced once for the mix and once for each request type alone (its bodies
# only), each next to nginx given the same bodies in the same run, with the webhook's collector
# pauses during each run (see webhook-common.sh).
set -euo pipefail
. "$(dirname "$0")/webhook-common.sh"
# 60 s (12,000 requests) keeps the p99 from hanging on a handful of requests.
seconds=${SECONDS_PER_RUN:-60}
if [ "$platform" = 1 ]; then sizes=${SIZES:-10000 100000}; else sizes=${SIZES:-1000 10000 100000}; fi

runs() { # url expect [gc]: the mix, then (--platform) each request type alone; with gc, the webhook's
  # collector pauses during each run
  local label type
  for label in mix $([ "$platform" = 1 ] && types_of "$bodies"); do
    type=$([ "$label" = mix ] && echo "$bodies" || bodies_of "$bodies" "$label")
    [ -z "${3:-}" ] || mark=$(gc_mark)
    paced "$label" "$seconds" "$1" "$type" "$2"
    [ -z "${3:-}" ] || gc_pauses "$mark"
  done
}

for n in $sizes; do
  state=$(state_of "$n")
  use_state "$state"
  echo "== floor: nginx, fixed answer, the same bodies"
  start_nginx
  runs https://127.0.0.1:28443/validate fixed
  stop_nginx
  start=$(date +%s.%N)
  start_webhook "$state" "$(heap_for "$n")"
  echo "== meshlint webhook, state of $n resources, heap $(heap_for "$n") (ready in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s)"
  check_wrk 45 8 https://127.0.0.1:18443/validate | grep "answers checked"  # warm-up (the JIT), answers checked
  runs https://127.0.0.1:18443/validate "$expect" gc
  echo "  peak RSS $(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$webhook_pid/status) MiB"
  stop_webhook
done
