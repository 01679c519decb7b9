package io.meshlint.core.docs;

import io.meshlint.core.model.Kinds;

import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rules.BuiltinRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generates the rule reference from the rule metadata and fixtures: one page per rule under
 * {@code docs/rules/}, and the rule table between the markers in README.md. Run by the build.
 */
public final class RuleDocs {
  static final String TABLE_START = "<!-- rules:start (generated from the rule metadata; do not edit) -->";
  static final String TABLE_END = "<!-- rules:end -->";
  /** Where the pages are in the jar. */
  public static final String SHIPPED = "/meshlint/docs/";

  private RuleDocs() {}

  /**
   * Arguments: the fixtures directory, the docs directory, README.md, and the directory of pages
   * shipped in the jar for {@code meshlint explain}.
   */
  public static void main(String[] args) throws IOException {
    Path fixtures = Path.of(args[0]);
    Path docs = Path.of(args[1]);
    Path readme = Path.of(args[2]);
    Path shipped = Path.of(args[3]);
    Files.createDirectories(docs);
    Files.createDirectories(shipped);
    List<RuleInfo> catalogue = BuiltinRules.catalogue();
    for (RuleInfo info : catalogue) {
      String page = page(info, fixtures.resolve(info.code()));
      writeIfChanged(docs.resolve(info.code() + ".md"), page);
      writeIfChanged(shipped.resolve(info.code() + ".md"), page);
    }
    if (Files.isRegularFile(readme)) {
      String text = Files.readString(readme);
      int start = text.indexOf(TABLE_START);
      int end = text.indexOf(TABLE_END);
      if (start >= 0 && end > start) {
        String updated = text.substring(0, start + TABLE_START.length()) + "\n" + table(catalogue) + text.substring(end);
        writeIfChanged(readme, updated);
      }
    }
  }

  /** The Markdown table of every rule, as in the README. */
  public static String table(List<RuleInfo> catalogue) {
    StringBuilder sb = new StringBuilder("| Code | Name | Severity | Summary |\n|---|---|---|---|\n");
    for (RuleInfo info : catalogue) {
      sb.append("| [").append(info.code()).append("](").append(RuleInfo.DOCS_DIR).append(info.code()).append(".md) | ")
          .append(info.name()).append(aliasNote(info)).append(" | ").append(info.severity().id())
          .append(info.enabledByDefault() ? "" : " (off by default)").append(" | ")
          .append(info.summary().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  /** Aliases go in the name cell rather than a column of their own, so rules without any keep their row. */
  private static String aliasNote(RuleInfo info) {
    return info.aliases().isEmpty() ? "" : " (" + String.join(", ", info.aliases()) + ")";
  }

  static String page(RuleInfo info, Path fixtureDir) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(info.code()).append(" ").append(info.name()).append("\n\n");
    sb.append("<!-- Generated from the rule's metadata and fixtures by the build; do not edit. -->\n\n");
    sb.append("| | |\n|---|---|\n");
    sb.append("| Default severity | ").append(info.severity().id()).append(" |\n");
    sb.append("| Enabled by default | ").append(info.enabledByDefault() ? "yes" : "no").append(" |\n");
    if (!info.subjects().isEmpty()) {
      sb.append("| Reports on | ").append(info.subjects().contains(Kinds.ANY) ? "every kind"
          : String.join(", ", info.subjects())).append(" |\n");
      sb.append("| Reads | ").append(String.join(", ", info.reads().stream().sorted().toList())).append(" |\n");
    }
    if (!info.aliases().isEmpty()) {
      sb.append("| Also known as | ").append(String.join(", ", info.aliases())).append(" |\n");
    }
    if (info.isIstioCode()) {
      sb.append("| Istio reference | ").append(info.docsUrl()).append(" |\n");
    }
    sb.append("\n").append(info.summary()).append("\n\n").append(info.description().strip()).append("\n");
    if (Files.isDirectory(fixtureDir)) {
      sb.append("\n## Examples\n\nLines marked `# expect: CODE` are where meshlint reports; the other examples stay silent.\n");
      try (Stream<Path> files = Files.list(fixtureDir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          sb.append("\n### ").append(f.getFileName()).append("\n\n```yaml\n")
              .append(Files.readString(f).stripTrailing()).append("\n```\n");
        }
      }
    }
    return sb.toString();
  }

  private static void writeIfChanged(Path file, String content) throws IOException {
    if (Files.isRegularFile(file) && Files.readString(file).equals(content)) {
      return;
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
