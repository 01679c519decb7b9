package io.meshlint.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A mesh of the shape teams run, for tests that need size: a shared ingress Gateway in istio-system,
 * and team namespaces of apps (a Service, a Deployment and a VirtualService bound to the ingress; every
 * third app a canary: a second Deployment and a DestinationRule with subsets v1 and v2 that the route
 * splits 90/10), each team with a ServiceEntry for the payment API its apps call, every fifth app also
 * routing a path to the platform team's (team-a) app, and a few of the usual mistakes (a gateway typo, a route to a
 * host nothing provides, an undefined subset, an external host no ServiceEntry declares).
 */
final class GeneratedMesh {
  private GeneratedMesh() {}

  /** Writes exactly {@code resources} resources, one file per app, under {@code dir}/NAMESPACE/. */
  static int write(Path dir, int resources, int teams) throws IOException {
    write(dir.resolve("istio-system/gateway.yaml"), List.of("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: public-cert}
            hosts: ["*.example.com"]
        """));
    int count = 1;
    for (int t = 0; t < teams && count < resources; t++) {
      String ns = "team-" + (char) ('a' + t);
      write(dir.resolve(ns + "/payments.yaml"), List.of("""
          apiVersion: networking.istio.io/v1
          kind: ServiceEntry
          metadata: {name: payments-api, namespace: %s}
          spec:
            hosts: [api.payments.example.net]
            location: MESH_EXTERNAL
            resolution: DNS
            ports: [{number: 443, name: https, protocol: TLS}]
          """.formatted(ns)));
      count++;
    }
    for (int i = 0; count < resources; i++) {
      int team = i % teams;
      String ns = "team-" + (char) ('a' + team);
      String platform = "team-a";
      String app = "app" + (i / teams);
      boolean canary = i % 3 == 0;
      List<String> docs = new ArrayList<>();
      docs.add(service(app, ns));
      docs.add(deployment(app, ns, "v1", i % 7 == 3 ? "https://api.partner-" + i + ".example.org" : "https://api.payments.example.net"));
      int left = resources - count - 2;
      canary = canary && left >= 3;
      if (canary) {
        docs.add(deployment(app, ns, "v2", "https://api.payments.example.net"));
        docs.add("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: %1$s, namespace: %2$s}
            spec:
              host: %1$s
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """.formatted(app, ns));
      }
      if (left >= 1) {
        docs.add(virtualService(app, ns, platform, i, canary));
      }
      count += docs.size();
      write(dir.resolve(ns + "/" + app + ".yaml"), docs);
    }
    return count;
  }

  private static String service(String app, String ns) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {app: %s}
          ports: [{name: http, port: 80, targetPort: 8080}]
        """.formatted(app, ns, app);
  }

  private static String deployment(String app, String ns, String version, String calls) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s-%3$s, namespace: %2$s}
        spec:
          selector:
            matchLabels: {app: %1$s, version: %3$s}
          template:
            metadata:
              labels: {app: %1$s, version: %3$s}
            spec:
              containers:
              - name: %1$s
                image: registry.example.com/%1$s:1.0
                env:
                - {name: PAYMENTS_URL, value: "%4$s"}
        """.formatted(app, ns, version, calls);
  }

  private static String virtualService(String app, String ns, String platform, int i, boolean canary) {
    String gateway = i == 17 ? "istio-system/pubilc" : "istio-system/public";
    String host = i == 23 ? app + "-backend" : app;
    StringBuilder http = new StringBuilder();
    if (i % 5 == 0 && !ns.equals(platform)) {
      http.append("""
            - match:
              - uri: {prefix: /shared}
              route:
              - destination: {host: %s.%s.svc.cluster.local}
          """.formatted(app, platform));
    }
    if (canary) {
      http.append("""
            - route:
              - destination: {host: %1$s, subset: v1}
                weight: 90
              - destination: {host: %1$s, subset: %2$s}
                weight: 10
          """.formatted(host, i == 30 ? "v3" : "v2"));
    } else {
      http.append("""
            - route:
              - destination: {host: %s}
          """.formatted(host));
    }
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          hosts: [%1$s.%2$s.example.com]
          gateways: [%3$s]
          http:
        %4$s""".formatted(app, ns, gateway, http);
  }

  private static void write(Path file, List<String> docs) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("---\n", docs), StandardCharsets.UTF_8);
  }
}
