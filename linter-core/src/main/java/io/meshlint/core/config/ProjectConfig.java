package io.meshlint.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.custom.CustomRule;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.source.Locator;
import io.meshlint.core.source.Position;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The project's {@code .meshlint.yaml}:
 *
 * <pre>
 * rules: {IST0102: off, MSH1001: error}     # off | error | warning | info
 * ignore: ["vendor/**"]                      # paths whose findings are not reported
 * settings:
 *   assumeDefaultIngressGateway: true
 *   systemNamespaces: [kube-system, istio-system]
 * </pre>
 *
 * @param rules per-rule override: empty Optional for "off", else the severity
 */
public record ProjectConfig(Map<String, Optional<Severity>> rules, List<String> ignore,
    Boolean assumeDefaultIngressGateway, Set<String> systemNamespaces, List<CustomRule> customRules) {

  public static final ProjectConfig EMPTY = new ProjectConfig(Map.of(), List.of(), null, null, List.of());
  private static final Set<String> TOP_LEVEL = Set.of("rules", "ignore", "settings", "customRules", "enforcement", "dryRun",
      "excludedNamespaces", "readSecrets");

  public static ProjectConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file not found: " + file);
    }
    SourceFile source = SourceFile.ofPath(file, file.toString());
    String text = source.readText();
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(text);
    if (!parsed.problems().isEmpty()) {
      YamlReader.Problem p = parsed.problems().get(0);
      throw new ConfigException(file + ":" + p.position().line() + ":" + p.position().column() + ": " + p.message());
    }
    List<JsonNode> docs = parsed.documents();
    if (docs.isEmpty()) {
      return EMPTY;
    }
    return parse(docs.get(0), source);
  }

  private static ProjectConfig parse(JsonNode root, SourceFile source) {
    Locator locator = new Locator(source, YamlReader.Limits.DEFAULT);
    if (!root.isObject()) {
      throw error(source, locator, FieldPath.ROOT, "expected a mapping");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!TOP_LEVEL.contains(key)) {
        throw error(source, locator, FieldPath.of(key), "unknown key \"" + key + "\"");
      }
    }
    Map<String, Optional<Severity>> rules = new LinkedHashMap<>();
    JsonNode rulesNode = root.path("rules");
    for (Iterator<Map.Entry<String, JsonNode>> it = rulesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String value = e.getValue().isBoolean() && !e.getValue().asBoolean() ? "off" : e.getValue().asText();
      if (value.equals("off")) {
        rules.put(e.getKey(), Optional.empty());
      } else {
        try {
          rules.put(e.getKey(), Optional.of(Severity.parse(value)));
        } catch (IllegalArgumentException ex) {
          throw error(source, locator, FieldPath.of("rules", e.getKey()),
              "rule " + e.getKey() + ": expected off, error, warning or info, found \"" + value + "\"");
        }
      }
    }
    List<String> ignore = new ArrayList<>();
    root.path("ignore").forEach(n -> ignore.add(n.asText()));
    JsonNode settings = root.path("settings");
    Boolean assume = settings.has("assumeDefaultIngressGateway")
        ? settings.get("assumeDefaultIngressGateway").asBoolean() : null;
    Set<String> system = null;
    if (settings.has("systemNamespaces")) {
      system = new LinkedHashSet<>();
      for (JsonNode n : settings.get("systemNamespaces")) {
        system.add(n.asText());
      }
    }
    return new ProjectConfig(rules, ignore, assume, system, customRules(root.path("customRules"), source, locator));
  }

  private static final java.util.regex.Pattern CUSTOM_CODE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_-]{1,31}");

  /**
   * The project's own rules; a malformed one is a configuration error pointing at its field, and a
   * CEL compile error points at the line and column inside the expression.
   */
  private static List<CustomRule> customRules(JsonNode list, SourceFile source, Locator locator) {
    List<CustomRule> out = new ArrayList<>();
    Set<String> codes = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode spec = list.get(i);
      FieldPath at = FieldPath.of("customRules", i);
      String code = spec.path("code").asText("");
      if (!CUSTOM_CODE.matcher(code).matches() || code.matches("(IST|MSH)\\d{4}") || !codes.add(code)) {
        throw error(source, locator, at.key("code"), "custom rule code \"" + code
            + "\" must be unique, upper case letters and digits, and not an IST or MSH code");
      }
      Severity severity;
      try {
        severity = Severity.parse(spec.path("severity").asText("error"));
      } catch (IllegalArgumentException e) {
        throw error(source, locator, at.key("severity"), e.getMessage());
      }
      List<String> kinds = new ArrayList<>();
      spec.path("match").path("kinds").forEach(k -> kinds.add(k.asText()));
      if (kinds.isEmpty()) {
        throw error(source, locator, at.key("match"), "custom rule " + code + " needs match.kinds");
      }
      Set<String> namespaces = new LinkedHashSet<>();
      spec.path("match").path("namespaces").forEach(n -> namespaces.add(n.asText()));
      String expression = spec.path("expression").asText("");
      String message = spec.path("message").asText(code + " is not met");
      try {
        out.add(CustomRule.compile(code, severity, kinds, namespaces, expression, message));
      } catch (CustomRule.InvalidExpression e) {
        Position field = locator.locate(0, at.key("expression"));
        CustomRule.CompileError first = e.errors().get(0);
        throw new ConfigException(source.displayName() + ":" + field.line() + ":" + field.column()
            + ": custom rule " + code + ": invalid expression at " + first.line() + ":" + first.column() + " of it: "
            + first.message());
      }
    }
    return List.copyOf(out);
  }

  private static ConfigException error(SourceFile source, Locator locator, FieldPath path, String message) {
    Position at = locator.locate(0, path);
    return new ConfigException(source.displayName() + ":" + at.line() + ":" + at.column() + ": " + message);
  }

  /** Matches the display paths of files whose findings are not reported. */
  public PathMatcher ignoreMatcher() {
    if (ignore.isEmpty()) {
      return Engine.Selection.IGNORE_NOTHING;
    }
    List<PathMatcher> matchers = ignore.stream()
        .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
    return path -> matchers.stream().anyMatch(m -> m.matches(path));
  }
}
