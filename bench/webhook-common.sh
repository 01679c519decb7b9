# Shared by the webhook benchmarks: a certificate, the nginx floor, and a webhook on an offline state,
# started with the JVM options of the container image (deploy/docker/Dockerfile) and the heap of a pod
# sized as values.yaml advises, or WEBHOOK_JAVA_OPTS.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/webhook"
mkdir -p "$out"
command -v wrk >/dev/null && command -v nginx >/dev/null || apt-get install -y -qq wrk nginx-light >/dev/null
jar="$root/webhook/target/meshlint-webhook.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
[ -f "$out/tls.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
samples="$root/webhook/samples"
answer='{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"8c1d2e3f-0000-4000-8000-000000000002","allowed":true,"status":{"code":200},"warnings":[]}}'
# --platform: states shaped like a platform monorepo (generate.py --platform) and the realistic mix of
# changes to them (generate.py --requests: VirtualService weight changes, DestinationRule updates,
# Gateway label updates, new VirtualServices bound to existing Gateways, a duplicate Gateway, a
# Gateway nobody binds, a route to an unknown host), each answer checked against the decision its
# uid names. Without it: the first generated corpora with the bundled examples, and three requests.
platform=0
if [ "${1:-}" = --platform ]; then platform=1; shift; fi
if [ "$platform" = 1 ]; then
  expect=""
else
  # A VirtualService that is allowed with warnings, one with a typo in its gateway (denied),
  # deleting the Gateway VirtualServices use (denied).
  bodies="$samples/create-virtualservice.json,$samples/create-virtualservice-typo.json,$samples/delete-gateway.json"
  expect="8c1d2e3f-0000-4000-8000-000000000002=true,705ab4f5-6393-11e8-b7cc-42010a800002=false,3f2e1d0c-0000-4000-8000-000000000003=false"
fi

state_of() { # size -> a generated state (with --platform, its requests in STATE.requests)
  if [ "$platform" = 1 ]; then
    local state="$out/platform-$1"
    [ -d "$state" ] || python3 "$root/bench/generate.py" --platform "$1" "$state"
    [ -d "$state.requests" ] || python3 "$root/bench/generate.py" --requests "$1" "$state.requests"
  else
    local state="$out/state-$1"
    [ -d "$state" ] || python3 "$root/bench/generate.py" "$1" "$state" >/dev/null
    [ -d "$state/mesh" ] || cp -r "$root/examples/mesh" "$state/"
  fi
  echo "$state"
}

use_state() { # state: with --platform, its requests become the bodies sent
  if [ "$platform" = 1 ]; then bodies=$(find "$1.requests" -name '*.json' | sort | paste -sd, -); fi
}

start_nginx() {
  cat > "$out/nginx.conf" <<CONF
worker_processes 2;
pid $out/nginx.pid;
error_log $out/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:28443 ssl http2;
    ssl_certificate $out/tls.crt;
    ssl_certificate_key $out/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location /validate { default_type application/json; return 200 '$answer'; }
  }
}
CONF
  nginx -c "$out/nginx.conf"
}

stop_nginx() { nginx -c "$out/nginx.conf" -s stop 2>/dev/null || true; sleep 0.5; }

# The heap a pod gets from the chart's memory limit (the image's -XX:MaxRAMPercentage=75): a 1Gi
# limit up to 10,000 resources, 4Gi for 100,000.
heap_for() { if [ "$1" -gt 10000 ]; then echo 3072m; else echo 768m; fi; }

start_webhook() { # state directory [heap]
  if curl -sf http://127.0.0.1:19090/healthz >/dev/null 2>&1; then
    echo "another webhook is listening on 19090; stop it first" >&2; return 1
  fi
  # shellcheck disable=SC2086
  java -Xmx"${2:-768m}" ${WEBHOOK_JAVA_OPTS:--XX:+ExitOnOutOfMemoryError -XX:+UseTransparentHugePages -XX:+UseG1GC -XX:MaxTenuringThreshold=1} \
    -Xlog:gc:file="$out/webhook-gc.log" -jar "$jar" --port 18443 --metrics-port 19090 \
    --tls-cert "$out/tls.crt" --tls-key "$out/tls.key" --state "$1" > "$out/webhook.log" 2>&1 &
  webhook_pid=$!
  for _ in $(seq 1 600); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "webhook not ready; see $out/webhook.log" >&2; return 1
}

gc_mark() { wc -l < "$out/webhook-gc.log"; }

gc_pauses() { # line of the GC log from gc_mark -> the webhook's collector pauses since then
  tail -n +"$(($1 + 1))" "$out/webhook-gc.log" \
    | awk '/Pause/ && match($0, /[0-9.]+ms$/) { p = substr($0, RSTART, RLENGTH - 2) + 0; n++; t += p; if (p > m) m = p } END { printf "%24s GC pauses: %d, longest %.1f ms, %.0f ms in all\n", "", n, m, t }'
}

stop_webhook() { kill "$webhook_pid" 2>/dev/null || true; wait "$webhook_pid" 2>/dev/null || true; webhook_pid=""; }

# A script that stops early (a failed check, ^C) leaves no server behind: one would keep the port,
# and the benchmark lock its caller holds.
webhook_pid=""
trap '[ -z "$webhook_pid" ] || stop_webhook; [ ! -f "$out/nginx.conf" ] || stop_nginx' EXIT

paced() { # label seconds url bodies expect: ~200 requests/s from 4 connections that each wait 20 ms
  # between requests, every answer checked (EXPECT as check.lua reads it); prints one summary line
  LABEL="$1" BODIES="$4" EXPECT="$5" DELAY=20 wrk -t2 -c4 -d"$2"s --latency -s "$root/bench/latency/check.lua" "$3" \
    | tail -n 1
}

types_of() { # comma-separated bodies -> the request types (a file's name without its -N.json), one a line
  tr , '\n' <<< "$1" | sed -E 's|.*/||; s/-[0-9]+\.json$//' | sort -u
}

bodies_of() { # comma-separated bodies, type -> the bodies of that type
  tr , '\n' <<< "$1" | grep -E "/$2-[0-9]+\.json$" | paste -sd, -
}

check_wrk() { # seconds connections url
  BODIES="$bodies" EXPECT="$expect" wrk -t2 -c"$2" -d"$1"s --latency -s "$root/bench/latency/check.lua" "$3"
}
