package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Action cannot run here (no GitHub), so this keeps it honest against the CLI: it must
 * parse, and every option it passes must be one `meshlint lint` accepts.
 */
class ActionTest {
  @Test
  void everyOptionTheActionPassesExists() throws Exception {
    String text = Files.readString(Path.of("../action.yml"));
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(text);
    assertEquals(List.of(), parsed.problems());
    JsonNode action = parsed.documents().get(0);
    assertEquals("composite", action.at("/runs/using").asText());
    Cli.Result help = Cli.run("lint", "--help");
    assertEquals(0, help.status(), help.err());
    Matcher flags = Pattern.compile("(--[a-z][a-z-]+)").matcher(action.at("/runs/steps").toString());
    int checked = 0;
    while (flags.find()) {
      String name = flags.group(1);
      if (name.equals("--output") || name.equals("--fail-on") || name.equals("--changed-since") || name.equals("--baseline")) {
        assertTrue(help.out().contains(name), name + " is not a lint option:\n" + help.out());
        checked++;
      }
    }
    assertTrue(checked >= 4, "the action passes lint options: " + checked);
  }
}
