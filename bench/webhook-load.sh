#!/usr/bin/env bash
# Webhook load test next to its floor: nginx answering a fixed AdmissionReview over the same TLS
# settings, then meshlint's webhook on an offline state, both with wrk (2 threads, 32 connections).
# Needs Debian's wrk and nginx-light (installed when missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out/webhook-load"
mkdir -p "$out"
command -v wrk >/dev/null && command -v nginx >/dev/null || apt-get install -y -qq wrk nginx-light >/dev/null
jar="$root/webhook/target/meshlint-webhook.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
sample="$root/webhook/samples/create-virtualservice.json"
cat > "$out/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$sample", "r")
wrk.body = f:read("*a")
f:close()
LUA
answer='{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true,"status":{"code":200},"warnings":[]}}'
cat > "$out/nginx.conf" <<CONF
worker_processes 2;
pid $out/nginx.pid;
error_log $out/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:28443 ssl;
    ssl_certificate $out/tls.crt;
    ssl_certificate_key $out/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location /validate { default_type application/json; return 200 '$answer'; }
  }
}
CONF
nginx -c "$out/nginx.conf"
echo "== floor: nginx, fixed answer"
wrk -t2 -c32 -d10s -s "$out/post.lua" https://127.0.0.1:28443/validate | grep -E "Requests/sec|Latency|Non-2xx"
nginx -c "$out/nginx.conf" -s stop
for n in ${SIZES:-1000}; do
  state="$root/bench/out/webhook/state-$n"
  [ -d "$state" ] || python3 "$root/bench/generate.py" "$n" "$state"
  java -XX:+UseParallelGC -jar "$jar" --port 18443 --metrics-port 19090 --tls-cert "$out/tls.crt" \
    --tls-key "$out/tls.key" --state "$state" > "$out/webhook-$n.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 0.5; done
  echo "== meshlint webhook, state of $n resources"
  wrk -t2 -c32 -d10s -s "$out/post.lua" https://127.0.0.1:18443/validate | grep -E "Requests/sec|Latency|Non-2xx"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
done
