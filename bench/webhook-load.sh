#!/usr/bin/env bash
# Webhook throughput: wrk (2 threads, 32 connections) for a fixed time against nginx answering a
# fixed AdmissionReview (the floor), then against meshlint's webhook on an offline state with three
# realistic AdmissionReviews in turn; every answer is checked (status, uid, decision). --platform:
# platform states of 10k and 100k resources and the realistic mix (see webhook-common.sh).
set -euo pipefail
. "$(dirname "$0")/webhook-common.sh"
duration=${DURATION:-20}
start_nginx
echo "== floor: nginx, fixed answer"
cat > "$out/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$samples/create-virtualservice.json", "r")
wrk.body = f:read("*a")
f:close()
LUA
wrk -t2 -c32 -d"${duration}"s --latency -s "$out/post.lua" https://127.0.0.1:28443/validate | grep -E "Requests/sec| 50%| 99%"
stop_nginx
if [ "$platform" = 1 ]; then sizes=${SIZES:-10000 100000}; else sizes=${SIZES:-10000}; fi
for n in $sizes; do
  state=$(state_of "$n")
  use_state "$state"
  start_webhook "$state" "$(heap_for "$n")"
  # Warm-up: under the mix, throughput in successive 15 s windows of load is 2,900, 8,000, then
  # 10,700-11,300 requests/s, as C2 compiles the rules the mix reaches.
  check_wrk 45 32 https://127.0.0.1:18443/validate >/dev/null
  echo "== meshlint webhook, state of $n resources"
  check_wrk "$duration" 32 https://127.0.0.1:18443/validate | grep -E "Requests/sec| 50%| 99%|answers checked"
  stop_webhook
done
