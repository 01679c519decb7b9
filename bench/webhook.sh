#!/usr/bin/env bash
# Webhook benchmark: the same AdmissionReview against offline states of growing size, with
# latency percentiles. Shows how a decision's cost grows with the state (see README).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out/webhook"
mkdir -p "$out"
jar="$root/webhook/target/meshlint-webhook.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
requests=${REQUESTS:-50}
for n in ${SIZES:-1000 10000}; do
  state="$out/state-$n"
  [ -d "$state" ] || python3 "$root/bench/generate.py" "$n" "$state"
  cp -r "$root/examples/mesh" "$state/" 2>/dev/null || true
  java -XX:+UseParallelGC -jar "$jar" --port 18443 --metrics-port 19090 --tls-cert "$out/tls.crt" \
    --tls-key "$out/tls.key" --state "$state" > "$out/webhook-$n.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break
    sleep 0.5
  done
  python3 - "$requests" "$out/tls.crt" "$root/webhook/samples/create-virtualservice.json" "$n" <<'PY'
import http.client, ssl, sys, time
requests, cert, sample, n = int(sys.argv[1]), sys.argv[2], open(sys.argv[3], "rb").read(), sys.argv[4]
ctx = ssl.create_default_context(cafile=cert)
conn = http.client.HTTPSConnection("127.0.0.1", 18443, context=ctx)
for _ in range(5):  # warm-up
    conn.request("POST", "/validate", sample, {"Content-Type": "application/json"}); conn.getresponse().read()
lat = []
for _ in range(requests):
    t = time.perf_counter()
    conn.request("POST", "/validate", sample, {"Content-Type": "application/json"})
    r = conn.getresponse(); r.read()
    assert r.status == 200
    lat.append((time.perf_counter() - t) * 1000)
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
print(f"state {n} resources: p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1]:.1f} ms over {requests} requests")
PY
  echo "  webhook peak RSS: $(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$pid/status) MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
