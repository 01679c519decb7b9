package io.meshlint.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.config.ProjectConfig;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --config} file: the {@code .meshlint.yaml} format (rules, ignore, settings) plus
 *
 * <pre>
 * enforcement: {IST0101: deny, IST0132: warn, IST0102: off}
 * dryRun: true                       # every deny becomes a warning
 * excludedNamespaces: [kube-system]  # default: kube-system and the webhook's own namespace
 * readSecrets: true                  # inform Secrets too (gateway credential checks); redacted
 * </pre>
 *
 * @param readSecrets whether the informers read Secrets (key names and public certificates only)
 */
public record WebhookConfig(ProjectConfig project, Policy policy, boolean readSecrets) {

  public WebhookConfig(ProjectConfig project, Policy policy) {
    this(project, policy, false);
  }

  public static WebhookConfig defaults(String ownNamespace) {
    return new WebhookConfig(ProjectConfig.EMPTY, Policy.defaults(ownNamespace));
  }

  /** Reads the file; a bad value is a {@link ConfigException} naming the file and the key. */
  public static WebhookConfig read(Path file, String ownNamespace) {
    ProjectConfig project = ProjectConfig.read(file);
    Set<String> known = new LinkedHashSet<>();
    BuiltinRules.catalogue().stream().map(RuleInfo::code).forEach(known::add);
    project.customRules().forEach(rule -> known.add(rule.info().code()));
    for (String code : project.rules().keySet()) {
      if (!known.contains(code)) {
        throw new ConfigException(file + ": unknown rule code " + code + " in rules");
      }
    }
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT)
        .parse(SourceFile.ofPath(file, file.toString()).readText());
    JsonNode root = parsed.documents().isEmpty() ? null : parsed.documents().get(0);
    if (root == null || !root.isObject()) {
      return new WebhookConfig(project, Policy.defaults(ownNamespace));
    }
    Map<String, Enforcement> enforcement = new LinkedHashMap<>();
    JsonNode e = root.path("enforcement");
    if (!e.isMissingNode() && !e.isNull() && !e.isObject()) {
      throw new ConfigException(file + ": enforcement: expected a mapping of rule codes to deny, warn or off");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!known.contains(entry.getKey())) {
        throw new ConfigException(file + ": unknown rule code " + entry.getKey() + " in enforcement");
      }
      JsonNode v = entry.getValue();
      String value = v.isBoolean() && !v.asBoolean() ? "off" : v.asText();
      try {
        enforcement.put(entry.getKey(), Enforcement.parse(value));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(file + ": enforcement." + entry.getKey() + ": " + ex.getMessage());
      }
    }
    JsonNode dry = root.path("dryRun");
    if (!dry.isMissingNode() && !dry.isNull() && !dry.isBoolean()) {
      throw new ConfigException(file + ": dryRun: expected true or false, found \"" + dry.asText() + "\"");
    }
    Set<String> excluded;
    JsonNode ex = root.path("excludedNamespaces");
    if (ex.isMissingNode() || ex.isNull()) {
      excluded = Policy.defaultExcludedNamespaces(ownNamespace);
    } else if (ex.isArray()) {
      excluded = new LinkedHashSet<>();
      for (JsonNode n : ex) {
        excluded.add(n.asText());
      }
    } else {
      throw new ConfigException(file + ": excludedNamespaces: expected a list of namespaces");
    }
    JsonNode secrets = root.path("readSecrets");
    if (!secrets.isMissingNode() && !secrets.isNull() && !secrets.isBoolean()) {
      throw new ConfigException(file + ": readSecrets: expected true or false, found \"" + secrets.asText() + "\"");
    }
    return new WebhookConfig(project, new Policy(Map.copyOf(enforcement), dry.asBoolean(false), Set.copyOf(excluded)),
        secrets.asBoolean(false));
  }
}
