#!/usr/bin/env bash
# Benchmark: meshlint lsp, started by the ./meshlint launcher as an editor would start it, on a
# generated workspace of 1,002 resources (334 files): the time from a change to its diagnostics
# (bench/lsp-latency.py says what is measured). ROUNDS (default 40) rounds of each kind of change.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out"
mkdir -p "$out"
[ -f "$root/cli/target/meshlint.jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
workspace="$out/lsp-workspace-1002"
[ -d "$workspace" ] || python3 "$root/bench/generate.py" 1002 "$workspace"
# The rule pages the server links to go to a scratch cache, not the user's.
XDG_CACHE_HOME="$out/cache" python3 "$root/bench/lsp-latency.py" "$workspace" "${ROUNDS:-40}" -- "$root/meshlint" lsp \
  2>"$out/lsp-stderr.log"
