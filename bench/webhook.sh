#!/usr/bin/env bash
# Webhook latency at about 200 requests/s against offline states of 1k, 10k and 100k resources,
# next to nginx answering a fixed AdmissionReview over the same TLS settings, with two clients: wrk
# pacing 4 connections (its C client adds little) and an open-loop Java client (FixedRate: latency
# counted from each request's scheduled time, so stalls cannot hide). A decision's cost should not
# grow with the state: compare the p99s. --platform: platform states of 10k and 100k resources and
# the realistic mix, with the open-loop client's percentiles per request type (see webhook-common.sh).
set -euo pipefail
. "$(dirname "$0")/webhook-common.sh"
# 60 s (12,000 requests per client) keeps the p99 from hanging on a handful of requests.
seconds=${SECONDS_PER_RUN:-60}
fixed_rate() { java -XX:+UseParallelGC "$root/bench/latency/FixedRate.java" "$1" "$out/tls.crt" 200 "$seconds" "$2" "${@:3}"; }
if [ "$platform" = 1 ]; then sizes=${SIZES:-10000 100000}; answered='by-uid'; else sizes=${SIZES:-1000 10000 100000}; answered='"uid"'; fi

start_nginx
echo "== floor: nginx, fixed answer"
BODIES="$samples/create-virtualservice.json" wrk -t2 -c4 -d"$seconds"s --latency -s "$root/bench/latency/paced.lua" \
  https://127.0.0.1:28443/validate | grep -E "Requests/sec| 50%| 90%| 99%"
fixed_rate https://localhost:28443/validate '"allowed":true' "$samples/create-virtualservice.json"
stop_nginx
for n in $sizes; do
  state=$(state_of "$n")
  use_state "$state"
  IFS=, read -r -a body_list <<< "$bodies"
  start=$(date +%s.%N)
  start_webhook "$state" "$(heap_for "$n")"
  echo "== meshlint webhook, state of $n resources, heap $(heap_for "$n") (ready in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s)"
  check_wrk 10 8 https://127.0.0.1:18443/validate | grep "answers checked"  # warm-up, answers checked
  paced_wrk "$seconds" https://127.0.0.1:18443/validate | grep -E "Requests/sec| 50%| 90%| 99%"
  fixed_rate https://localhost:18443/validate "$answered" "${body_list[@]}"
  echo "  peak RSS $(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$webhook_pid/status) MiB"
  stop_webhook
done
