#!/usr/bin/env bash
# The real-world corpus: lints each set of sets.tsv (a whole application and its mesh
# configuration, cut from a public repository at a pinned commit, read from a local snapshot of
# the repository) and compares every error and warning with its verdict in verdicts.tsv. Prints
# the totals per class; exits 1 on a false error or an error without a verdict. In sets.tsv, a
# path written namespace=NS is no path: the set is linted with --default-namespace NS, the namespace
# the repository's instructions apply its manifests to.
#   MIRROR  where snapshots live, as MIRROR/owner+name/repo (a bare git directory); default /work/.mirror
#   bench/realworld/run.sh [--show] [SET...]   (--show prints every finding with its verdict)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ -f "$root/cli/target/meshlint.jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
exec python3 "$root/bench/realworld/realworld.py" "$root" "$@"
