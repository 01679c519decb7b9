#!/usr/bin/env bash
# Benchmark: lints generated corpora of 10k and 100k resources (SIZES="10000 100000") with the CLI
# as the ./meshlint launcher runs it (whole process, JVM start included, the launcher's options and
# class-data archive) next to the floor of a JVM that only parses the same files into Jackson trees,
# and a single three-document file. Prints wall time, resources per second and peak memory.
# With --platform: corpora shaped like a platform's monorepo (generate.py --platform), linted under
# -Xmx1g, with the ratio to the floor of the same run.
set -euo pipefail
shape=()
kind=corpus
if [ "${1:-}" = --platform ]; then
  shape=(--platform)
  kind=platform
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out"
mkdir -p "$out"
[ -f "$root/cli/target/meshlint.jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
cp="$(cd "$root/linter-core" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=jackson-databind,jackson-core,jackson-annotations 2>/dev/null)"
yaml="$(find ~/.m2/repository/com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/2.20.0 -name '*.jar' | head -1)"
snake="$(find ~/.m2/repository/org/yaml/snakeyaml/2.4 -name '*.jar' 2>/dev/null | head -1)"
[ -n "$yaml" ] && [ -n "$snake" ] || (cd "$root/bench" && mvn -B -q dependency:get -Dartifact=com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.20.0 >/dev/null)
yaml="$(find ~/.m2/repository/com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/2.20.0 -name '*.jar' | head -1)"
snake="$(find ~/.m2/repository/org/yaml/snakeyaml -name 'snakeyaml-2.4.jar' | head -1)"
floorcp="$cp:$yaml:$snake"
javac -d "$out/floor" -cp "$floorcp" "$root/bench/floor/ParseOnly.java"
# Every run goes through the launcher, which picks the JVM's options; its first run after a build
# writes the class-data archive that the later ones read.
rm -f "$root/cli/target/meshlint.jsa"
"$root/meshlint" lint "$root/examples/mesh/app.yaml" >/dev/null 2>&1 || true

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true
  read -r secs kb < <(tail -1 "$out/time.txt")
  echo "$label: ${secs}s, peak RSS $((kb / 1024)) MiB"
}

for n in ${SIZES:-10000 100000}; do
  corpus="$out/$kind-$n"
  [ -d "$corpus" ] || python3 "$root/bench/generate.py" "${shape[@]}" "$n" "$corpus"
  files=$(find "$corpus" -name '*.yaml' | wc -l)
  echo "== $n resources in $files files ($kind)"
  measure "floor (parse only)" java -cp "$floorcp:$out/floor" ParseOnly "$corpus"
  floor=$(tail -1 "$out/time.txt" | cut -d' ' -f1)
  heap=
  [ "$kind" = platform ] && heap=-Xmx1g
  measure "meshlint lint $heap" env MESHLINT_JAVA_OPTS="$heap" "$root/meshlint" lint --output json "$corpus"
  secs=$(tail -1 "$out/time.txt" | cut -d' ' -f1)
  echo "  $(python3 -c "print(int($n / $secs))") resources/s, $(python3 -c "print(round($secs / $floor, 2))")x the floor"
  [ "$kind" = platform ] && continue
  measure "meshlint lint, 2 custom CEL rules" "$root/meshlint" lint \
    --config "$root/bench/custom-rules.yaml" --output json "$corpus"
done
[ "$kind" = platform ] && exit 0
one="$out/corpus-10000/team0/app1.yaml"
[ -f "$one" ] || python3 "$root/bench/generate.py" 10000 "$out/corpus-10000"
echo "== one three-document file (5 runs each)"
for i in 1 2 3 4 5; do
  measure "floor (parse only)" java -cp "$floorcp:$out/floor" ParseOnly "$one"
  measure "meshlint lint (launcher)" "$root/meshlint" lint "$one"
done
