#!/usr/bin/env python3
"""Generates a corpus of mesh manifests.

generate.py N DIR: N resources in files of three documents each (a Service, a Deployment and a
VirtualService per app; every 10th app adds a Gateway instead of the Deployment), spread over
namespaces, with a few deliberate mistakes so that rules fire.

generate.py --platform N DIR: about N resources shaped like a platform team's GitOps monorepo (see
platform()).

generate.py --requests N DIR: AdmissionReviews of a realistic mix of changes to that platform (see
requests())."""
import json
import os
import sys

def app(i, ns):
    name = f"app{i}"
    docs = [f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app: {name}
  ports:
  - name: http
    port: 80
    targetPort: 8080
"""]
    if i % 10 == 0:
        docs.append(f"""apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: {name}-gw
  namespace: {ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
""" + "".join(f'    - "app{j}.example.com"\n' for j in range(i, i + 10)))
    else:
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: {name}
        image: example/{name}:1.0
        ports:
        - containerPort: 8080
        env:
        - name: BACKEND_URL
          value: http://app{i + 1}.{ns}.svc.cluster.local
""")
    gateway = f"app{i - i % 10}-gw" if i % 97 else "missing-gw"
    docs.append(f"""apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {name}
  namespace: {ns}
spec:
  hosts:
  - "{name}.example.com"
  gateways:
  - {gateway}
  http:
  - match:
    - uri:
        prefix: /
    route:
    - destination:
        host: {name}
        port:
          number: 80
    timeout: 5s
""")
    return "---\n".join(docs)

APPS_PER_TEAM = 16


def platform_app(a, t):
    """An app of team t on the platform: a Service, a Deployment calling the shared collector, a
    DestinationRule with two subsets, a mesh VirtualService splitting between them and an ingress
    VirtualService bound to the team's Gateway (five resources)."""
    name, ns = f"app{a}", f"team{t}"
    return f"""apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{app: {name}}}
  ports: [{{name: http, port: 80, targetPort: 8080}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}, version: v1}}}}
    spec:
      containers:
      - name: {name}
        image: registry.example.com/{ns}/{name}:1.0
        ports: [{{containerPort: 8080}}]
        env:
        - {{name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://otel-collector.observability.svc.cluster.local:4317"}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: {name}, namespace: {ns}}}
spec:
  host: {name}.{ns}.svc.cluster.local
  subsets:
  - {{name: v1, labels: {{version: v1}}}}
  - {{name: v2, labels: {{version: v2}}}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: {name}, namespace: {ns}}}
spec:
  hosts: [{name}.{ns}.svc.cluster.local]
  http:
  - route:
    - {{destination: {{host: {name}.{ns}.svc.cluster.local, subset: v1}}, weight: 90}}
    - {{destination: {{host: {name}.{ns}.svc.cluster.local, subset: v2}}, weight: 10}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: {name}-ingress, namespace: {ns}}}
spec:
  hosts: [{name}.{ns}.example.com]
  gateways: [{ns}-gw]
  http:
  - route:
    - destination: {{host: {name}.{ns}.svc.cluster.local, port: {{number: 80}}}}
"""


def platform_team(t):
    """A team's Gateway on the shared ingress, serving its apps through the one wildcard certificate."""
    ns = f"team{t}"
    return f"""apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: {ns}-gw, namespace: {ns}, labels: {{team: {ns}}}}}
spec:
  selector: {{istio: ingressgateway}}
  servers:
  - port: {{number: 443, name: https, protocol: HTTPS}}
    tls: {{mode: SIMPLE, credentialName: wildcard-example-com}}
    hosts: ["*.{ns}.example.com"]
"""


PLATFORM_SHARED = """apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: STRICT}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: istio-system}
spec:
  egress:
  - hosts: ["./*", "observability/*"]
---
apiVersion: v1
kind: Service
metadata: {name: otel-collector, namespace: observability}
spec:
  selector: {app: otel-collector}
  ports: [{name: grpc-otlp, port: 4317}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: otel-collector, namespace: observability}
spec:
  selector: {matchLabels: {app: otel-collector}}
  template:
    metadata: {labels: {app: otel-collector}}
    spec:
      containers:
      - {name: otel-collector, image: otel/opentelemetry-collector:0.98.0, ports: [{containerPort: 4317}]}
"""


def platform(resources, out):
    """A platform monorepo: one namespace per team of 16 apps, each team's Gateway on the one ingress
    with the shared wildcard certificate, a mesh-wide PeerAuthentication, the root namespace's
    Sidecar and a collector every workload calls."""
    apps = platform_apps(resources)
    os.makedirs(os.path.join(out, "platform"), exist_ok=True)
    with open(os.path.join(out, "platform", "shared.yaml"), "w") as f:
        f.write(PLATFORM_SHARED)
    for t in range((apps + APPS_PER_TEAM - 1) // APPS_PER_TEAM):
        d = os.path.join(out, f"team{t}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "gateway.yaml"), "w") as f:
            f.write(platform_team(t))
    for a in range(apps):
        t = a // APPS_PER_TEAM
        with open(os.path.join(out, f"team{t}", f"app{a}.yaml"), "w") as f:
            f.write(platform_app(a, t))


def platform_apps(resources):
    return max(1, (resources - 4) * APPS_PER_TEAM // (5 * APPS_PER_TEAM + 1))


def review(kind, group, operation, obj, old, uid):
    """The AdmissionReview the API server sends for this change."""
    meta = (obj or old)["metadata"]
    version = "v1"
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": uid,
        "kind": {"group": group, "version": version, "kind": kind},
        "resource": {"group": group, "version": version, "resource": kind.lower() + "s"},
        "requestKind": {"group": group, "version": version, "kind": kind},
        "requestResource": {"group": group, "version": version, "resource": kind.lower() + "s"},
        "name": meta["name"], "namespace": meta["namespace"], "operation": operation,
        "userInfo": {"username": "system:serviceaccount:argocd:argocd-application-controller",
                     "groups": ["system:serviceaccounts", "system:authenticated"]},
        "object": obj, "oldObject": old, "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "UpdateOptions" if operation == "UPDATE" else "CreateOptions"}}}


def mesh_vs(a, t, weights):
    host = f"app{a}.team{t}.svc.cluster.local"
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": f"app{a}", "namespace": f"team{t}"},
            "spec": {"hosts": [host], "http": [{"route": [
                {"destination": {"host": host, "subset": "v1"}, "weight": weights[0]},
                {"destination": {"host": host, "subset": "v2"}, "weight": weights[1]}]}]}}


def destination_rule(a, t, policy):
    spec = {"host": f"app{a}.team{t}.svc.cluster.local",
            "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
    if policy:
        spec["trafficPolicy"] = {"connectionPool": {"http": {"http1MaxPendingRequests": 100}}}
    return {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": f"app{a}", "namespace": f"team{t}"}, "spec": spec}


def gateway(name, t, hosts, labels):
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": f"team{t}", "labels": labels},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{
                "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                "tls": {"mode": "SIMPLE", "credentialName": "wildcard-example-com"}, "hosts": hosts}]}}


def ingress_vs(name, t, host, destination):
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": name, "namespace": f"team{t}"},
            "spec": {"hosts": [host], "gateways": [f"team{t}-gw"],
                     "http": [{"route": [{"destination": {"host": destination, "port": {"number": 80}}}]}]}}


# The realistic mix: each type's requests and whether the webhook (default enforcement) allows them.
MIX = ["vs-weights", "dr-update", "gw-label", "vs-new", "gw-duplicate", "gw-unbound", "vs-unknown-host"]


def requests(resources, out, per_type=20):
    """AdmissionReviews of the realistic mix against the platform of that size, spread over its teams:
    a file per request, named TYPE-N.json, whose uid is TYPE-allow-N or TYPE-deny-N."""
    apps = platform_apps(resources)
    teams = (apps + APPS_PER_TEAM - 1) // APPS_PER_TEAM
    os.makedirs(out, exist_ok=True)
    for n in range(per_type):
        a = (n * 7919) % apps
        t = a // APPS_PER_TEAM
        team_t = (n * 31) % teams
        bodies = {
            "vs-weights": ("allow", review("VirtualService", "networking.istio.io", "UPDATE",
                                           mesh_vs(a, t, (70, 30)), mesh_vs(a, t, (90, 10)), None)),
            "dr-update": ("allow", review("DestinationRule", "networking.istio.io", "UPDATE",
                                          destination_rule(a, t, True), destination_rule(a, t, False), None)),
            "gw-label": ("allow", review("Gateway", "networking.istio.io", "UPDATE",
                                         gateway(f"team{team_t}-gw", team_t, [f"*.team{team_t}.example.com"],
                                                 {"team": f"team{team_t}", "tier": "public"}),
                                         gateway(f"team{team_t}-gw", team_t, [f"*.team{team_t}.example.com"],
                                                 {"team": f"team{team_t}"}), None)),
            "vs-new": ("allow", review("VirtualService", "networking.istio.io", "CREATE",
                                       ingress_vs(f"new{n}-ingress", t, f"new{n}.team{t}.example.com",
                                                  f"app{a}.team{t}.svc.cluster.local"), None, None)),
            "gw-duplicate": ("allow", review("Gateway", "networking.istio.io", "CREATE",
                                             gateway(f"team{team_t}-gw-copy", team_t, [f"*.team{team_t}.example.com"],
                                                     {"team": f"team{team_t}"}), None, None)),
            "gw-unbound": ("allow", review("Gateway", "networking.istio.io", "CREATE",
                                           gateway(f"preview{n}-gw", team_t, [f"preview{n}.team{team_t}.example.com"],
                                                   {"team": f"team{team_t}"}), None, None)),
            "vs-unknown-host": ("deny", review("VirtualService", "networking.istio.io", "CREATE",
                                               ingress_vs(f"broken{n}-ingress", t, f"broken{n}.team{t}.example.com",
                                                          f"nosuch{n}.team{t}.svc.cluster.local"), None, None)),
        }
        for kind, (decision, body) in bodies.items():
            body["request"]["uid"] = f"{kind}-{decision}-{n}"
            with open(os.path.join(out, f"{kind}-{n}.json"), "w") as f:
                json.dump(body, f)


def main():
    if sys.argv[1] == "--platform":
        platform(int(sys.argv[2]), sys.argv[3])
        return
    if sys.argv[1] == "--requests":
        requests(int(sys.argv[2]), sys.argv[3])
        return
    resources, out = int(sys.argv[1]), sys.argv[2]
    apps = resources // 3
    for i in range(apps):
        ns = f"team{(i // 10) % 50}"
        d = os.path.join(out, ns)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"app{i}.yaml"), "w") as f:
            f.write(app(i, ns))

main()
