#!/usr/bin/env python3
"""Generates a corpus of mesh manifests: N resources in files of three documents each
(a Service, a Deployment and a VirtualService per app; every 10th app adds a Gateway instead of
the Deployment), spread over namespaces, with a few deliberate mistakes so that rules fire."""
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

def main():
    resources, out = int(sys.argv[1]), sys.argv[2]
    apps = resources // 3
    for i in range(apps):
        ns = f"team{(i // 10) % 50}"
        d = os.path.join(out, ns)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"app{i}.yaml"), "w") as f:
            f.write(app(i, ns))

main()
