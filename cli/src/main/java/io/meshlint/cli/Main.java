package io.meshlint.cli;

import io.meshlint.core.config.ConfigException;
import io.meshlint.core.source.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "meshlint", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Policy linter for Istio service meshes.",
    subcommands = {LintCommand.class, AuditCommand.class, GraphCommand.class, TraceCommand.class, RulesCommand.class, ExplainCommand.class,
        LspCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_FINDINGS = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status; usage and input errors are status 2, without a stack trace. */
  public static int run(String... args) {
    // The Kubernetes client logs through SLF4J; without a provider SLF4J would warn on every audit.
    System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "ERROR"));
    CommandLine cmd = new CommandLine(new Main());
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof InputException || ex instanceof ConfigException || ex instanceof IllegalArgumentException) {
        commandLine.getErr().println("meshlint: " + ex.getMessage());
        return EXIT_USAGE;
      }
      commandLine.getErr().println("meshlint: internal error: " + ex);
      return EXIT_USAGE;
    });
    return cmd.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: lint, audit, graph, trace, rules, explain, lsp or version");
  }

  public static String version() {
    Properties p = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meshlint " + version()};
    }
  }
}
