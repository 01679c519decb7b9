#!/usr/bin/env bash
# Istio's analyzer test grid against meshlint: run.sh ISTIO_DIR [CASE_NAME_SUBSTRING]
# ISTIO_DIR is a checkout of istio/istio or its bare git directory. Builds the CLI jar when missing
# and runs IstioGrid.java in one JVM with the jar on the classpath; see docs/parity.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 ISTIO_DIR [CASE_NAME_SUBSTRING]" >&2; exit 2; }
istio="$(cd "$1" && pwd)"
[ -f "$root/cli/target/meshlint.jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
# From an empty directory, so that no .meshlint.yaml of the caller's changes the run.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
java -cp "$root/cli/target/meshlint.jar" "$here/IstioGrid.java" "$istio" "$here/departures.tsv" "${@:2}"
