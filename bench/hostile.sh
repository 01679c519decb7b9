#!/usr/bin/env bash
# Benchmark: lints a hostile manifest (bench/hostile.py: one 2.7 MB document of 90,000 keys sharing
# one Java hash code) with the CLI as the ./meshlint launcher runs it, next to the same document with
# ordinary keys. Each must finish within 2 s with the usual finding (IST0101: the VirtualService's
# Gateway does not exist). Then the webhook, under a 256 MiB heap on the bundled examples, is sent
# the same VirtualService in an AdmissionReview five times (the first on a cold JVM); each must be
# denied for IST0101 within 2 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out"
mkdir -p "$out"
[ -f "$root/cli/target/meshlint.jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
python3 "$root/bench/hostile.py" > "$out/hostile.yaml"
# The same size and shape, each key made unique in its hash by a counter.
python3 - "$out/hostile.yaml" > "$out/ordinary.yaml" <<'PY'
import re, sys
n = iter(range(10**9))
sys.stdout.write(re.sub(r"(?m)^    [ABC#a]{22}:", lambda m: "    k%021d:" % next(n), open(sys.argv[1]).read()))
PY
# The launcher's first run after a build writes the class-data archive that the later ones read.
[ "$root/cli/target/meshlint.jsa" -nt "$root/cli/target/meshlint.jar" ] \
  || "$root/meshlint" lint "$root/examples/mesh/app.yaml" >/dev/null 2>&1 || true
for f in hostile ordinary; do
  /usr/bin/time -f "%e %U %M" -o "$out/time.txt" "$root/meshlint" lint "$out/$f.yaml" >"$out/$f.txt" 2>&1 || true
  read -r secs user kb < <(tail -1 "$out/time.txt")
  echo "$f ($(stat -c %s "$out/$f.yaml") bytes): ${secs}s (${user}s CPU), peak RSS $((kb / 1024)) MiB; $(grep -c 'IST0101' "$out/$f.txt") IST0101"
done
lint_out=$out
. "$root/bench/webhook-common.sh"
python3 "$root/bench/hostile.py" --admission-review > "$lint_out/hostile.json"
start_webhook "$root/examples" 256m
for i in 1 2 3 4 5; do
  secs=$(curl -sk -o "$out/hostile-answer.json" -w "%{time_total}" -H 'Content-Type: application/json' \
    --data-binary @"$lint_out/hostile.json" https://127.0.0.1:18443/validate)
  verdict=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["response"]
print("denied" if not r["allowed"] else "allowed", "IST0101" if "IST0101" in r["status"]["message"] else "")' "$out/hostile-answer.json")
  echo "webhook, AdmissionReview of $(stat -c %s "$lint_out/hostile.json") bytes, request $i: ${secs}s, $verdict"
done
stop_webhook
