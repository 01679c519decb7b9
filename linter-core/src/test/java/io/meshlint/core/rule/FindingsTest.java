package io.meshlint.core.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FindingsTest {
  /** A VirtualService naming a missing Gateway (IST0101) and a file that is not YAML (a problem of the input). */
  private static final String VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: vs%d, namespace: shop}
      spec:
        hosts: [reviews]
        gateways: [missing-%d]
        http:
        - route:
          - destination: {host: reviews}
      """;

  private static Findings lint() {
    List<SourceFile> files = new ArrayList<>();
    // More files than are located at once, given out of name order.
    IntStream.range(0, 150).map(i -> 149 - i)
        .forEach(i -> files.add(SourceFile.ofText("f%03d.yaml".formatted(i), VS.formatted(i, i) + "---\n" + VS.formatted(i + 1000, i))));
    files.add(SourceFile.ofText("broken.yaml", "a: [\n"));
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null, YamlReader.Limits.DEFAULT);
    return linter.lint(files, List.of()).all();
  }

  @Test
  void walksFileByFileInReportOrderWithCountsKnownBefore() {
    Findings findings = lint();
    List<String> files = new ArrayList<>();
    List<Finding> walked = new ArrayList<>();
    findings.forEachFile(group -> {
      String file = group.get(0).location().file();
      assertTrue(group.stream().allMatch(f -> f.location().file().equals(file)));
      assertTrue(group.stream().allMatch(f -> f.location().line() > 0), "located");
      files.add(file);
      walked.addAll(group);
    });
    assertEquals(files.stream().sorted().toList(), files);
    assertEquals("broken.yaml", files.get(0));
    assertEquals(151, files.size());
    assertEquals(findings.size(), walked.size());
    assertEquals(walked, findings.toList());
    int bySeverity = 0;
    for (Severity s : Severity.values()) {
      assertEquals(walked.stream().filter(f -> f.severity() == s).count(), findings.count(s));
      bySeverity += findings.count(s);
    }
    assertEquals(walked.size(), bySeverity);
    List<Finding> f149 = walked.stream().filter(f -> f.location().file().equals("f149.yaml") && isMissingGateway(f))
        .toList();
    assertEquals(2, f149.size());
    assertTrue(f149.get(0).location().line() < f149.get(1).location().line(), "sorted by line within a file");
  }

  @Test
  void filtersBeforeLocatingKeepingTheOrder() {
    Findings findings = lint();
    Findings missingGateways = findings.filter(f -> {
      assertTrue(f.resource() == null || f.location().line() == 0, "tested before located");
      return isMissingGateway(f);
    });
    assertEquals(300, missingGateways.size());
    assertFalse(missingGateways.files().contains("broken.yaml"));
    assertEquals(findings.toList().stream().filter(FindingsTest::isMissingGateway).toList(), missingGateways.toList());
  }

  private static boolean isMissingGateway(Finding f) {
    return f.rule().code().equals("IST0101") && f.message().contains("gateway");
  }
}
