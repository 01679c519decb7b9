"""Runner of the real-world corpus (see run.sh): sets, verdicts, totals."""
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from collections import Counter, defaultdict

VERDICTS = ("true", "false", "context")


def read_tsv(path, columns):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) != columns:
                sys.exit(f"{path}:{number}: expected {columns} tab-separated columns, got {len(cells)}")
            rows.append(cells)
    return rows


def extract(mirror, repo, commit, paths, into):
    git_dir = os.path.join(mirror, repo.replace("/", "+"), "repo")
    if not os.path.isdir(git_dir):
        sys.exit(f"no snapshot of {repo} under {mirror} (fetch github:{repo} first)")
    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", commit, "--", *paths],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", into], input=archive, check=True)


def main():
    root, args = sys.argv[1], sys.argv[2:]
    show = "--show" in args
    only = {a for a in args if a != "--show"}
    here = os.path.join(root, "bench", "realworld")
    mirror = os.environ.get("MIRROR", "/work/.mirror")
    sets = read_tsv(os.path.join(here, "sets.tsv"), 4)
    verdicts = {}
    for set_name, code, resource, verdict, reason in read_tsv(os.path.join(here, "verdicts.tsv"), 5):
        if verdict not in VERDICTS:
            sys.exit(f"verdict for {set_name} {code} {resource} is {verdict!r}, not one of {VERDICTS}")
        verdicts[(set_name, code, resource)] = (verdict, reason)
    jar = os.path.join(root, "cli", "target", "meshlint.jar")
    totals = Counter()
    by_code = defaultdict(Counter)
    unjudged = []
    false_errors = []
    resources = 0
    used = set()
    names = [s[0] for s in sets]
    if len(names) != len(set(names)):
        sys.exit("set names must be unique")
    def lint(entry):
        name, repo, commit, paths = entry
        words = paths.split()
        namespace = [w[len("namespace="):] for w in words if w.startswith("namespace=")]
        with tempfile.TemporaryDirectory() as tmp:
            extract(mirror, repo, commit, [w for w in words if not w.startswith("namespace=")], tmp)
            run = subprocess.run(["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "lint",
                                  "--output", "json", "--fail-on", "none", "."]
                                 + [f"--default-namespace={n}" for n in namespace], cwd=tmp, capture_output=True,
                                 text=True)
            if run.returncode != 0:
                sys.exit(f"{name}: meshlint exited {run.returncode}: {run.stderr}")
            return json.loads(run.stdout)

    chosen = [e for e in sets if not only or e[0] in only]
    with ThreadPoolExecutor(int(os.environ.get("JOBS", "2"))) as pool:
        reports = list(pool.map(lint, chosen))
    for (name, repo, commit, paths), report in zip(chosen, reports):
        resources += report["summary"]["resources"]
        totals["infos"] += report["summary"]["infos"]
        for f in report["findings"]:
            severity = f["severity"]
            if severity == "info":
                continue
            r = f.get("resource")
            resource = f"{r['kind']}/{r.get('namespace') or ''}/{r['name']}" if r else "file/" + f["location"]["file"]
            key = next((k for k in ((name, f["code"], resource), ("*", f["code"], resource)) if k in verdicts), None)
            verdict, reason = verdicts[key] if key else ("none", "")
            if key:
                used.add(key)
            totals[(severity, verdict)] += 1
            by_code[f["code"]][(severity, verdict)] += 1
            line = f"{name}\t{f['code']}\t{resource}\t{severity}\t{verdict}\t{f['location']['file']}:{f['location']['line']} {f['message']}"
            if verdict == "none":
                unjudged.append(line)
            if severity == "error" and verdict == "false":
                false_errors.append(line)
            if show:
                print(line + ("" if not reason else f"\t({reason})"))
    print(f"{len(chosen)} sets, {resources} resources")
    for severity in ("error", "warning"):
        counts = ", ".join(f"{v} {totals[(severity, v)]}" for v in VERDICTS + ("none",))
        print(f"{severity}s: {sum(totals[(severity, v)] for v in VERDICTS + ('none',))} ({counts})")
    print(f"infos: {totals['infos']} (not judged)")
    print("false or unjudged, by code:")
    for code in sorted(by_code):
        c = by_code[code]
        bad = {k: n for k, n in c.items() if k[1] in ("false", "none")}
        if bad:
            print("  " + code + ": " + ", ".join(f"{s} {v} {n}" for (s, v), n in sorted(bad.items())))
    stale = [k for k in verdicts if k not in used and (not only or k[0] in only or k[0] == "*")]
    if stale and not only:
        print(f"{len(stale)} verdicts match no finding (the finding is gone):")
        for k in stale:
            print("  " + "\t".join(k))
    if unjudged:
        print("without a verdict:")
        for line in unjudged:
            print("  " + line)
    if false_errors:
        print("false errors:")
        for line in false_errors:
            print("  " + line)
    unjudged_errors = [u for u in unjudged if "\terror\t" in u]
    sys.exit(1 if false_errors or unjudged_errors else 0)


if __name__ == "__main__":
    main()
