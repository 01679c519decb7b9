#!/usr/bin/env bash
# Benchmark: lints a hostile manifest (bench/hostile.py: one 2.7 MB document of 90,000 keys sharing
# one Java hash code) with the CLI as the ./meshlint launcher runs it, next to the same document with
# ordinary keys. Each must finish within 2 s with the usual finding (IST0101: the VirtualService's
# Gateway does not exist).
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
