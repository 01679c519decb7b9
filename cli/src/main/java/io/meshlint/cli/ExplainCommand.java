package io.meshlint.cli;

import io.meshlint.core.config.ConfigException;
import io.meshlint.core.docs.RuleDocs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true, description = "What a rule checks, why it matters, examples that fire and that stay silent, and the fix.")
final class ExplainCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CODE", description = "a rule code, e.g. IST0101")
  String code;

  @Override
  public Integer call() throws IOException {
    String normalized = code.toUpperCase(Locale.ROOT);
    try (InputStream page = ExplainCommand.class.getResourceAsStream(RuleDocs.SHIPPED + normalized + ".md")) {
      if (page == null || !normalized.matches("[A-Z]{3}\\d{4}")) {
        throw new ConfigException("unknown rule code " + code + "; `meshlint rules` lists them");
      }
      System.out.print(new String(page.readAllBytes(), StandardCharsets.UTF_8));
    }
    return Main.EXIT_CLEAN;
  }
}
