#!/usr/bin/env python3
"""Measures meshlint lsp as an editor sees it: the time from a change sent to the server until the
diagnostics of that change arrive, in a workspace made by generate.py.

  lsp-latency.py WORKSPACE ROUNDS -- SERVER COMMAND...

The client opens the VirtualService file team0/app1.yaml and the Gateway file team0/app0.yaml, then,
ROUNDS times each, with a pause between changes so that each is linted on its own:
  - edit: misspells the VirtualService's gateway, then fixes it (one incremental change each);
    timed until the diagnostics of that version arrive and show (or no longer show) IST0101;
  - cross-file: renames the Gateway in its own file, then back; timed until the VirtualService's
    diagnostics show (or drop) the IST0101 that the rename causes there;
  - typing: ten one-character changes 30 ms apart, as typing sends them; timed from the last one.
Prints min, median, 95th percentile and max of each in milliseconds."""
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


class Client:
    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == rid and "method" not in m:
                return m

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server ended")
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def diagnostics(self, uri, accept):
        """Waits for the diagnostics of uri that accept takes; answers the server's requests meanwhile."""
        while True:
            m = self.read()
            if "id" in m and "method" in m:
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            elif m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                if accept(m["params"]):
                    return m["params"]


def codes(params):
    return [d["code"] for d in params["diagnostics"]]


def summary(label, millis):
    millis = sorted(millis)
    p95 = millis[min(len(millis) - 1, round(0.95 * (len(millis) - 1)))]
    print(f"{label:<11} n={len(millis):<3} min {millis[0]:6.1f}  median {statistics.median(millis):6.1f}  "
          f"p95 {p95:6.1f}  max {millis[-1]:6.1f} ms")


def main():
    workspace, rounds = Path(sys.argv[1]).resolve(), int(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1:]
    resources = sum(line.startswith("kind: ") for f in workspace.rglob("*.yaml") for line in f.read_text().split("\n"))
    client = Client(command)
    client.request("initialize", {"processId": None, "capabilities": {},
                                  "workspaceFolders": [{"uri": workspace.as_uri(), "name": "bench"}]})
    client.notify("initialized", {})

    vs_path, gw_path = workspace / "team0" / "app1.yaml", workspace / "team0" / "app0.yaml"
    vs_uri, gw_uri = vs_path.as_uri(), gw_path.as_uri()
    vs_lines, gw_lines = vs_path.read_text().split("\n"), gw_path.read_text().split("\n")
    vs_line = next(i for i, l in enumerate(vs_lines) if l.strip() == "- app0-gw")
    gw_line = next(i for i, l in enumerate(gw_lines) if l.strip() == "name: app0-gw")
    gw_col = gw_lines[gw_line].index("app0-gw")
    versions = {vs_uri: 1, gw_uri: 1}

    start = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": vs_uri, "languageId": "yaml", "version": 1,
                                                            "text": vs_path.read_text()}})
    client.diagnostics(vs_uri, lambda p: True)
    opened = (time.perf_counter() - start) * 1000
    client.notify("textDocument/didOpen", {"textDocument": {"uri": gw_uri, "languageId": "yaml", "version": 1,
                                                            "text": gw_path.read_text()}})
    client.diagnostics(gw_uri, lambda p: True)

    def change(uri, line, col, end, text):
        versions[uri] += 1
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": versions[uri]},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": end}}, "text": text}]})
        return versions[uri]

    edit, cross, typing = [], [], []
    col = vs_lines[vs_line].index("app0-gw")
    for _ in range(rounds):
        for typo in (True, False):
            time.sleep(0.25)
            t = time.perf_counter()
            v = change(vs_uri, vs_line, col, col + (7 if typo else 8), "app0-gwx" if typo else "app0-gw")
            client.diagnostics(vs_uri, lambda p: p["version"] == v and ("IST0101" in codes(p)) == typo)
            edit.append((time.perf_counter() - t) * 1000)
        for renamed in (True, False):
            time.sleep(0.25)
            t = time.perf_counter()
            change(gw_uri, gw_line, gw_col, gw_col + (7 if renamed else 8), "app0-gwy" if renamed else "app0-gw")
            client.diagnostics(vs_uri, lambda p: ("IST0101" in codes(p)) == renamed)
            cross.append((time.perf_counter() - t) * 1000)
        time.sleep(0.25)
        for i in range(10):
            if i:
                time.sleep(0.03)
            v = change(vs_uri, vs_line, col + 7 + i, col + 7 + i, "z")
            t = time.perf_counter()
        client.diagnostics(vs_uri, lambda p: p["version"] == v)
        typing.append((time.perf_counter() - t) * 1000)
        time.sleep(0.25)
        v = change(vs_uri, vs_line, col + 7, col + 17, "")
        client.diagnostics(vs_uri, lambda p: p["version"] == v and "IST0101" not in codes(p))

    client.request("shutdown", None)
    client.notify("exit", None)
    status = client.proc.wait(timeout=30)
    print(f"workspace: {resources} resources in {sum(1 for _ in workspace.rglob('*.yaml'))} files; "
          f"first diagnostics after open {opened:.0f} ms; exit status {status}")
    summary("edit", edit)
    summary("cross-file", cross)
    summary("typing", typing)


main()
