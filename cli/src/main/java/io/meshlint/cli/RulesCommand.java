package io.meshlint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rules.BuiltinRules;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rules", mixinStandardHelpOptions = true, description = "List every rule: code, name, default severity, summary, docs link.")
final class RulesCommand implements Callable<Integer> {
  enum Format { text, json }

  @Option(names = "--output", description = "text or json (default: ${DEFAULT-VALUE})", defaultValue = "text")
  Format output;

  @Override
  public Integer call() throws Exception {
    List<RuleInfo> rules = BuiltinRules.catalogue();
    if (output == Format.json) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode list = mapper.createArrayNode();
      for (RuleInfo r : rules) {
        ObjectNode n = list.addObject();
        n.put("code", r.code());
        n.put("name", r.name());
        n.put("severity", r.severity().id());
        n.put("enabledByDefault", r.enabledByDefault());
        n.put("summary", r.summary());
        r.aliases().forEach(n.putArray("aliases")::add);
        n.put("docs", r.docsUrl());
      }
      ObjectNode root = mapper.createObjectNode();
      root.set("rules", list);
      System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      int nameWidth = rules.stream().mapToInt(r -> r.name().length()).max().orElse(4);
      for (RuleInfo r : rules) {
        String severity = r.severity().id() + (r.enabledByDefault() ? "" : " (off)");
        String aliases = r.aliases().isEmpty() ? "" : " (also " + String.join(", ", r.aliases()) + ")";
        System.out.printf("%-8s %-" + nameWidth + "s  %-13s %s%n         %s%s%n", r.code(), r.name(), severity,
            r.summary(), r.docsUrl(), aliases);
      }
    }
    return Main.EXIT_CLEAN;
  }
}
