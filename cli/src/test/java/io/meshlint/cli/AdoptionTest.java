package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adopting meshlint in a repository that already has findings: baselines and changed files. */
class AdoptionTest {
  private static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: public, namespace: shop}
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["shop.example.com"]
      """;

  private static String virtualService(String name, String gateway) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %s, namespace: shop}
        spec:
          hosts: ["shop.example.com"]
          gateways: [%s]
          http:
          - route:
            - destination: {host: frontend}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: frontend, namespace: shop}
        spec:
          ports: [{name: http, port: 80}]
        """.formatted(name, gateway);
  }

  @Test
  void baselineHidesRecordedFindingsEvenWhenLinesMove(@TempDir Path dir) throws IOException {
    Path manifest = Files.writeString(dir.resolve("vs.yaml"), virtualService("old", "missing-gateway"));
    Path baseline = dir.resolve("meshlint-baseline.json");
    Cli.Result recorded = Cli.run("lint", "--write-baseline", baseline.toString(), manifest.toString());
    assertEquals(0, recorded.status(), recorded.err());
    assertTrue(Files.readString(baseline).contains("\"IST0101\""));

    // Lines above the recorded finding move it down; it still matches.
    Files.writeString(manifest, "# a comment\n# another\n" + virtualService("old", "missing-gateway"));
    Cli.Result again = Cli.run("lint", "--baseline", baseline.toString(), manifest.toString());
    assertEquals(0, again.status(), again.out());
    assertTrue(again.err().contains("2 findings matched the baseline"), again.err()); // IST0101 and IST0132

    // A new problem is reported, and only it.
    Files.writeString(manifest, virtualService("old", "missing-gateway") + "---\n" + virtualService("new", "other-missing"));
    Cli.Result fresh = Cli.run("lint", "--baseline", baseline.toString(), manifest.toString());
    assertEquals(1, fresh.status(), fresh.out());
    assertTrue(fresh.out().contains("other-missing"), fresh.out());
    assertFalse(fresh.out().contains("\"missing-gateway\""), fresh.out());
  }

  @Test
  void aBaselineThatIsNotOneIsAUsageError(@TempDir Path dir) throws IOException {
    Path bogus = Files.writeString(dir.resolve("b.json"), "{\"hello\": 1}");
    Cli.Result r = Cli.run("lint", "--baseline", bogus.toString(), Cli.TYPO).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("not a meshlint baseline"), r.err());
  }

  @Test
  void changedSinceLintsOnlyChangedFilesWithTheRestAsContext(@TempDir Path repo) throws Exception {
    Processes.gitInit(repo);
    Files.createDirectories(repo.resolve("manifests"));
    Files.writeString(repo.resolve("manifests/gateway.yaml"), GATEWAY);
    Files.writeString(repo.resolve("manifests/broken-but-old.yaml"), virtualService("legacy", "missing-gateway"));
    Processes.git(repo, "add", ".");
    Processes.git(repo, "commit", "-q", "-m", "base");
    Files.writeString(repo.resolve("manifests/shop.yaml"), virtualService("shop", "public"));
    Files.writeString(repo.resolve("manifests/typo.yaml"), virtualService("typo", "pubic"));

    Cli.Result r = Cli.run("lint", "--changed-since", "HEAD", repo.resolve("manifests").toString());
    assertEquals(1, r.status(), r.out() + r.err());
    List<String> lines = r.lines();
    assertEquals(1, lines.stream().filter(l -> l.contains("[IST0101]")).count(), r.out());
    assertTrue(r.out().contains("Referenced gateway not found: \"pubic\""), r.out());
    assertFalse(r.out().contains("legacy"), "unchanged files are context only: " + r.out());
  }
}
