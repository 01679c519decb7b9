#!/usr/bin/env python3
"""Writes a hostile manifest of about 2.7 MB: a VirtualService bound to a Gateway that does not
exist (IST0101, the usual finding) whose labels hold N keys (default 90,000) that all share one Java
String.hashCode: "Aa", "BB" and "C#" hash alike, so every string of 11 such pairs does too. A hash
map that keeps colliding keys in a list costs O(n^2) to fill or to look up; meshlint must lint the
file within 2 s, and the webhook decide it within 2 s. Usage: hostile.py [N] > FILE, or
hostile.py --admission-review [N] > FILE for the same VirtualService created in an AdmissionReview."""
import itertools
import json
import sys

args = sys.argv[1:]
review = bool(args) and args[0] == "--admission-review"
if review:
    args = args[1:]
n = int(args[0]) if args else 90000
keys = ["".join(pairs) for pairs in itertools.islice(itertools.product(("Aa", "BB", "C#"), repeat=11), n)]
out = sys.stdout
if review:
    vs = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
          "metadata": {"name": "hostile", "namespace": "default", "labels": {k: "xx" for k in keys}},
          "spec": {"hosts": ["reviews"], "gateways": ["missing-gateway"],
                   "http": [{"route": [{"destination": {"host": "reviews"}}]}]}}
    json.dump({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "hostile-1", "operation": "CREATE", "name": "hostile", "namespace": "default",
        "kind": {"group": "networking.istio.io", "version": "v1", "kind": "VirtualService"},
        "resource": {"group": "networking.istio.io", "version": "v1", "resource": "virtualservices"},
        "userInfo": {"username": "bench"}, "object": vs}}, out)
    sys.exit(0)
out.write("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: hostile\n"
          "  namespace: default\n  labels:\n")
for key in keys:
    out.write(f"    {key}: xx\n")
out.write("spec:\n  hosts: [reviews]\n  gateways: [missing-gateway]\n  http:\n  - route:\n"
          "    - destination: {host: reviews}\n")
