#!/usr/bin/env python3
"""Generates a corpus of mesh manifests.

generate.py N DIR: N resources in files of three documents each (a Service, a Deployment and a
VirtualService per app; every 10th app adds a Gateway instead of the Deployment), spread over
namespaces, with a few deliberate mistakes so that rules fire.

generate.py --platform N DIR: about N resources shaped like a platform team's GitOps monorepo:
teams of ten services, each team a namespace (injected) and a Gateway on the one shared ingress
(istio: ingressgateway) serving its hosts with the one wildcard certificate every team uses; each
service a Service, a Deployment (v1 and v2 pods), a DestinationRule with v1/v2 subsets, a
VirtualService splitting mesh traffic 90/10 over them and an ingress VirtualService bound to the
team's Gateway that routes to the host without a subset (so IST0140 fires once per service); a
mesh-wide STRICT PeerAuthentication and a shared OpenTelemetry collector every workload calls.

generate.py --requests N DIR: AdmissionReviews of a realistic mix of changes to that platform (see
requests())."""
import json
import os
import sys

APPS_PER_TEAM = 10

def service(name, ns, port_name="http", port=80, target_port=8080):
    """A Service selecting the pods labelled app: NAME."""
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app: {name}
  ports:
  - name: {port_name}
    port: {port}
    targetPort: {target_port}
"""

def app(i, ns):
    name = f"app{i}"
    docs = [service(name, ns)]
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

def write(path, docs):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("---\n".join(docs))

def platform_team(t):
    ns = f"team{t}"
    hosts = "".join(f'    - "svc{a}.{ns}.example.com"\n' for a in range(APPS_PER_TEAM))
    return [f"""apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    istio-injection: enabled
""", f"""apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: {ns}-gateway
  namespace: {ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    tls:
      mode: SIMPLE
      credentialName: wildcard-example-com
    hosts:
{hosts}"""]

def platform_service(t, a):
    ns, name = f"team{t}", f"svc{a}"
    calls = f"svc{(a + 1) % APPS_PER_TEAM}"
    return [service(name, ns), f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        version: v1
    spec:
      serviceAccountName: {name}
      containers:
      - name: {name}
        image: registry.example.com/{ns}/{name}:1.4.2
        ports:
        - containerPort: 8080
        env:
        - name: BACKEND_URL
          value: http://{calls}.{ns}.svc.cluster.local
        - name: OTEL_EXPORTER_OTLP_ENDPOINT
          value: http://otel-collector.observability.svc.cluster.local:4317
""", f"""apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {name}
  namespace: {ns}
spec:
  host: {name}.{ns}.svc.cluster.local
  trafficPolicy:
    connectionPool:
      http:
        http2MaxRequests: 1000
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
""", f"""apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {name}
  namespace: {ns}
spec:
  hosts:
  - {name}.{ns}.svc.cluster.local
  http:
  - route:
    - destination:
        host: {name}.{ns}.svc.cluster.local
        subset: v1
      weight: 90
    - destination:
        host: {name}.{ns}.svc.cluster.local
        subset: v2
      weight: 10
    timeout: 5s
""", f"""apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {name}-ingress
  namespace: {ns}
spec:
  hosts:
  - "{name}.{ns}.example.com"
  gateways:
  - {ns}-gateway
  http:
  - match:
    - uri:
        prefix: /
    route:
    - destination:
        host: {name}.{ns}.svc.cluster.local
        port:
          number: 80
"""]

def platform_shared():
    return ["""apiVersion: v1
kind: Namespace
metadata:
  name: observability
  labels:
    istio-injection: enabled
""", """apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
""", service("otel-collector", "observability", "grpc-otlp", 4317, 4317), """apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-collector
  namespace: observability
spec:
  replicas: 3
  selector:
    matchLabels:
      app: otel-collector
  template:
    metadata:
      labels:
        app: otel-collector
    spec:
      containers:
      - name: otel-collector
        image: otel/opentelemetry-collector:0.98.0
        ports:
        - containerPort: 4317
"""]

def platform(resources, out):
    write(os.path.join(out, "platform", "shared.yaml"), platform_shared())
    per_team = 2 + 5 * APPS_PER_TEAM
    for t in range(max(1, (resources - 4) // per_team)):
        write(os.path.join(out, f"team{t}", "team.yaml"), platform_team(t))
        for a in range(APPS_PER_TEAM):
            write(os.path.join(out, f"team{t}", f"svc{a}.yaml"), platform_service(t, a))

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


def mesh_vs(s, t, weights):
    host = f"svc{s}.team{t}.svc.cluster.local"
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": f"svc{s}", "namespace": f"team{t}"},
            "spec": {"hosts": [host], "http": [{"route": [
                {"destination": {"host": host, "subset": "v1"}, "weight": weights[0]},
                {"destination": {"host": host, "subset": "v2"}, "weight": weights[1]}], "timeout": "5s"}]}}


def destination_rule(s, t, pending):
    http = {"http2MaxRequests": 1000}
    if pending:
        http["http1MaxPendingRequests"] = 100
    spec = {"host": f"svc{s}.team{t}.svc.cluster.local", "trafficPolicy": {"connectionPool": {"http": http}},
            "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
    return {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": f"svc{s}", "namespace": f"team{t}"}, "spec": spec}


def gateway(name, t, hosts, labels):
    meta = {"name": name, "namespace": f"team{t}"}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": meta,
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{
                "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                "tls": {"mode": "SIMPLE", "credentialName": "wildcard-example-com"}, "hosts": hosts}]}}


def ingress_vs(name, t, host, destination):
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": name, "namespace": f"team{t}"},
            "spec": {"hosts": [host], "gateways": [f"team{t}-gateway"],
                     "http": [{"route": [{"destination": {"host": destination, "port": {"number": 80}}}]}]}}


# The realistic mix: each type's requests and whether the webhook (default enforcement) allows them.
MIX = ["vs-weights", "dr-update", "gw-label", "vs-new", "gw-duplicate", "gw-unbound", "vs-unknown-host"]


def requests(resources, out, per_type=20):
    """AdmissionReviews of the realistic mix against the platform of that size, spread over its teams:
    a file per request, named TYPE-N.json, whose uid is TYPE-allow-N or TYPE-deny-N."""
    teams = max(1, (resources - 4) // (2 + 5 * APPS_PER_TEAM))
    os.makedirs(out, exist_ok=True)
    for n in range(per_type):
        t, s = (n * 7919) % teams, n % APPS_PER_TEAM
        team_hosts = [f"svc{i}.team{t}.example.com" for i in range(APPS_PER_TEAM)]
        service = f"svc{s}.team{t}.svc.cluster.local"
        bodies = {
            "vs-weights": ("allow", review("VirtualService", "networking.istio.io", "UPDATE",
                                           mesh_vs(s, t, (70, 30)), mesh_vs(s, t, (90, 10)), None)),
            "dr-update": ("allow", review("DestinationRule", "networking.istio.io", "UPDATE",
                                          destination_rule(s, t, True), destination_rule(s, t, False), None)),
            "gw-label": ("allow", review("Gateway", "networking.istio.io", "UPDATE",
                                         gateway(f"team{t}-gateway", t, team_hosts, {"tier": "public"}),
                                         gateway(f"team{t}-gateway", t, team_hosts, None), None)),
            "vs-new": ("allow", review("VirtualService", "networking.istio.io", "CREATE",
                                       ingress_vs(f"new{n}-ingress", t, f"new{n}.team{t}.example.com", service),
                                       None, None)),
            "gw-duplicate": ("allow", review("Gateway", "networking.istio.io", "CREATE",
                                             gateway(f"team{t}-gateway-copy", t, team_hosts, None), None, None)),
            "gw-unbound": ("allow", review("Gateway", "networking.istio.io", "CREATE",
                                           gateway(f"preview{n}-gateway", t, [f"preview{n}.team{t}.example.com"], None),
                                           None, None)),
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
