package io.meshlint.cli;

import io.meshlint.cli.lsp.Lsp;
import io.meshlint.core.Linter;
import io.meshlint.core.config.ProjectConfig;
import io.meshlint.core.source.Loader;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "lsp", mixinStandardHelpOptions = true, description = {
    "Language server over standard input and output, for editors: diagnostics as you type, links to each "
        + "rule's page, quick fixes that add the resources findings suggest.",
    "Each workspace folder is a context, as for lint --context, with its own project config, which --config "
        + "replaces. The lint options below apply to every folder.",
    "Exit status: 0 after the editor's shutdown and exit, 1 when the input ends without them, 2 for bad options."})
final class LspCommand implements Callable<Integer> {
  @Mixin
  RunOptions run;

  @Override
  public Integer call() {
    // Standard output carries the protocol alone: whatever else writes to System.out goes to standard error.
    OutputStream protocol = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(System.err);
    return serve(System.in, protocol, Lsp.defaultPages(Main.version()));
  }

  /** Serves one client on these streams, with the rule pages written under {@code pages}; returns the exit status. */
  int serve(InputStream in, OutputStream out, Path pages) {
    Lsp.Setup setup = new Lsp.Setup() {
      @Override
      public Path configFile(Path folder) {
        return run.config != null ? run.config : folder == null ? null : folder.resolve(Loader.PROJECT_CONFIG);
      }

      @Override
      public Linter linter(Path configFile) {
        ProjectConfig project = configFile != null && Files.isRegularFile(configFile) ? ProjectConfig.read(configFile)
            : ProjectConfig.EMPTY;
        return run.linter(project, LintCommand.DEFAULT_NAMESPACE);
      }
    };
    // Fail at once, with status 2, on options no folder could lint with (an unknown rule code, a bad --config).
    setup.linter(setup.configFile(null));
    return Lsp.serve(setup, pages, Main.version(), in, out);
  }
}
