#!/usr/bin/env python3
"""Writes a hostile manifest of about 2.7 MB: a VirtualService bound to a Gateway that does not
exist (IST0101, the usual finding) whose labels hold N keys (default 90,000) that all share one Java
String.hashCode: "Aa", "BB" and "C#" hash alike, so every string of 11 such pairs does too. A hash
map that keeps colliding keys in a list costs O(n^2) to fill or to look up; meshlint must lint the
file within 2 s. Usage: hostile.py [N] > FILE"""
import itertools
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 90000
out = sys.stdout
out.write("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: hostile\n"
          "  namespace: default\n  labels:\n")
for i, pairs in enumerate(itertools.product(("Aa", "BB", "C#"), repeat=11)):
    if i == n:
        break
    out.write(f"    {''.join(pairs)}: xx\n")
out.write("spec:\n  hosts: [reviews]\n  gateways: [missing-gateway]\n  http:\n  - route:\n"
          "    - destination: {host: reviews}\n")
