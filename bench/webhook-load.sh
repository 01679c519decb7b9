#!/usr/bin/env bash
# Webhook throughput: wrk (2 threads, 32 connections) for a fixed time against nginx answering a
# fixed AdmissionReview (the floor), and against meshlint's webhook on an offline state with
# realistic AdmissionReviews in turn; every webhook answer is checked (status, uid, decision).
# --platform: platform states of 10k and 100k resources and the realistic mix (see webhook-common.sh).
#
# The floor is measured right before and right after each webhook run, and the webhook compared with
# the mean of the two: this machine's speed drifts by a third within minutes (nginx alone gave
# 37,900-52,000 requests/s within half an hour), so a floor measured minutes apart says little.
set -euo pipefail
. "$(dirname "$0")/webhook-common.sh"
duration=${DURATION:-20}
cat > "$out/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$samples/create-virtualservice.json", "r")
wrk.body = f:read("*a")
f:close()
LUA

floor() { # prints nginx's requests/s over DURATION
  wrk -t2 -c32 -d"${duration}"s -s "$out/post.lua" https://127.0.0.1:28443/validate \
    | awk '/Requests\/sec/ { print $2 }'
}

if [ "$platform" = 1 ]; then sizes=${SIZES:-10000 100000}; else sizes=${SIZES:-10000}; fi
for n in $sizes; do
  state=$(state_of "$n")
  use_state "$state"
  start_webhook "$state" "$(heap_for "$n")"
  # Warm-up: under the mix, throughput in successive 15 s windows of load is 2,900, 8,000, then
  # 10,700-11,300 requests/s, as C2 compiles the rules the mix reaches.
  check_wrk 45 32 https://127.0.0.1:18443/validate >/dev/null
  # nginx runs beside the idle webhook (and the webhook beside idle nginx): neither takes CPU from the other.
  start_nginx
  before=$(floor)
  echo "== meshlint webhook, state of $n resources"
  result=$(check_wrk "$duration" 32 https://127.0.0.1:18443/validate)
  grep -E "Requests/sec| 50%| 99%|answers checked" <<< "$result"
  after=$(floor)
  stop_nginx
  stop_webhook
  rps=$(awk '/Requests\/sec/ { print $2 }' <<< "$result")
  awk -v w="$rps" -v a="$before" -v b="$after" 'BEGIN {
    printf "floor: nginx, fixed answer: %.0f requests/s before, %.0f after; webhook / mean floor: %.3fx\n", a, b, w / ((a + b) / 2) }'
done
