package io.meshlint.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Checks over pairs report once per resource and name at most ten others: n resources sharing one
 * thing give n findings, not n², whatever n is.
 */
class SharedObjectFindingsTest {
  private static final Pattern NAMESPACED = Pattern.compile("team\\d+/gw");

  @Test
  void gatewaysSharingACertificateAreReportedOnceEach() {
    String gateways = IntStream.range(0, 30).mapToObj(i -> gateway(i, """
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: wildcard-example-com}
            hosts: ["team%d.example.com"]
        """.formatted(i))).collect(Collectors.joining("---\n"));
    List<Finding> findings = lint(gateways, "IST0138");
    assertEquals(30, findings.size());
    for (Finding f : findings) {
      // The Gateway itself, then ten of the 29 others.
      assertEquals(11, count(NAMESPACED.matcher(f.message())), f.message());
      assertTrue(f.message().contains(" and 19 more] may cause 404s"), f.message());
    }
  }

  /** A Gateway defined twice (two files applying it) counts once among the others. */
  @Test
  void aGatewayDefinedTwiceIsNamedOnce() {
    String gateways = IntStream.range(0, 31).mapToObj(i -> gateway(i == 30 ? 5 : i, """
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: wildcard-example-com}
            hosts: ["team%d.example.com"]
        """.formatted(i))).collect(Collectors.joining("---\n"));
    List<Finding> findings = lint(gateways, "IST0138");
    assertEquals(31, findings.size());
    for (Finding f : findings) {
      assertEquals(11, count(NAMESPACED.matcher(f.message())), f.message());
      assertTrue(f.message().contains(" and 19 more] may cause 404s"), f.message());
    }
  }

  @Test
  void conflictingGatewaysAreReportedOnceEach() {
    String gateways = IntStream.range(0, 30).mapToObj(i -> gateway(i, """
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["shop.example.com"]
        """)).collect(Collectors.joining("---\n"));
    List<Finding> findings = lint(gateways, "IST0145");
    assertEquals(30, findings.size());
    for (Finding f : findings) {
      assertEquals(10, count(NAMESPACED.matcher(f.message())), f.message());
      assertTrue(f.message().contains(" and 19 more (workload selector istio=ingressgateway, port 80, hosts shop.example.com)"),
          f.message());
    }
  }

  @Test
  void sidecarsSelectingTheSameWorkloadsAreReportedOnceEach() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      yaml.append("""
          apiVersion: networking.istio.io/v1
          kind: Sidecar
          metadata: {name: sidecar%02d, namespace: shop}
          spec:
            workloadSelector: {labels: {tier: web}}
          ---
          """.formatted(i));
    }
    for (int i = 0; i < 15; i++) {
      yaml.append("""
          apiVersion: v1
          kind: Pod
          metadata: {name: web%02d, namespace: shop, labels: {tier: web}}
          spec:
            containers: [{name: web, image: web}]
          ---
          """.formatted(i));
    }
    List<Finding> findings = lint(yaml.toString(), "IST0110");
    assertEquals(12, findings.size());
    for (Finding f : findings) {
      assertTrue(f.message().startsWith("The Sidecars [sidecar00 sidecar01 sidecar02 sidecar03 sidecar04 sidecar05 "
          + "sidecar06 sidecar07 sidecar08 sidecar09 and 2 more] in namespace \"shop\" select the same workload pods "
          + "\"web00\", \"web01\", \"web02\", \"web03\", \"web04\", \"web05\", \"web06\", \"web07\", \"web08\", \"web09\" "
          + "and 5 more,"), f.message());
    }
  }

  @Test
  void anIngressRouteBypassingManySubsetRoutesIsReportedOnce() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ingress, namespace: shop}
        spec:
          hosts: ["shop.example.com"]
          gateways: [shop-gw]
          http:
          - route:
            - destination: {host: reviews}
        """);
    for (int i = 0; i < 13; i++) {
      yaml.append("""
          ---
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews%02d, namespace: shop}
          spec:
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews, subset: v1}
          """.formatted(i));
    }
    List<Finding> findings = lint(yaml.toString(), "IST0140");
    assertEquals(1, findings.size());
    assertTrue(findings.get(0).message().startsWith("Subsets in virtual services shop/reviews00, shop/reviews01, "),
        findings.get(0).message());
    assertTrue(findings.get(0).message().endsWith(" and 3 more have no effect on ingress gateway shop/ingress requests"),
        findings.get(0).message());
  }

  private static String gateway(int i, String servers) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: team%d}
        spec:
          selector: {istio: ingressgateway}
          servers:
        """.formatted(i) + servers;
  }

  private static int count(Matcher m) {
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static List<Finding> lint(String yaml, String code) {
    Set<String> everyCode = BuiltinRules.catalogue().stream().map(RuleInfo::code).collect(Collectors.toSet());
    Engine.Selection selection = new Engine.Selection(Map.of(), everyCode, Set.of(), p -> false);
    Linter linter = new Linter(BuiltinRules.all(), selection, Settings.DEFAULT, null, YamlReader.Limits.DEFAULT);
    return linter.lint(List.of(SourceFile.ofText("mesh.yaml", yaml)), List.of()).findings().stream()
        .filter(f -> f.rule().code().equals(code)).toList();
  }
}
