#!/usr/bin/env bash
# The webhook's request path without the server (AdmissionBenchmark, JMH): time and allocation per
# request for each type of the realistic mix, against generated platform states of each size
# (SIZES, default "10000 100000"). Extra arguments go to JMH (e.g. a benchmark name).
set -euo pipefail
. "$(dirname "$0")/webhook-common.sh" --platform
cd "$root"
# One reactor build, so that the classpath names the modules' own classes, not installed copies.
build=(test-compile dependency:build-classpath -pl webhook -am -Dmdep.includeScope=test -Dmdep.outputFile="$out/jmh.classpath")
mvn -B -q -o "${build[@]}" >/dev/null 2>&1 || mvn -B -q "${build[@]}" >/dev/null
cp="webhook/target/test-classes:webhook/target/classes:$(cat "$out/jmh.classpath")"
sizes=${SIZES:-10000 100000}
states=()
for n in $sizes; do states+=("$(state_of "$n")"); done
java -cp "$cp" org.openjdk.jmh.Main AdmissionBenchmark -prof gc \
  -p state="$(IFS=,; echo "${states[*]}")" -jvmArgs "-Xmx$(heap_for "${sizes##* }")" "$@"
