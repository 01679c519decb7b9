package io.meshlint.cli;

import io.meshlint.core.Linter;
import io.meshlint.core.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lint", mixinStandardHelpOptions = true, description = "Lint manifests: files, directories (recursive: *.yaml, *.yml, *.json) or - for standard input.")
final class LintCommand implements Callable<Integer> {
  static final String DEFAULT_NAMESPACE = "default";

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "file, directory or - for standard input (with --changed-since: where to look, default .)")
  List<String> paths = new ArrayList<>();

  @Mixin
  RunOptions run;

  @Mixin
  LintOptions options;

  @Option(names = "--context", paramLabel = "DIR", description = "report only on the PATHs given; resolve references against every manifest under DIR")
  List<String> context = new ArrayList<>();

  @Option(names = "--changed-since", paramLabel = "REF", description = "lint the manifests under PATHs changed since a git ref, the rest of them as context")
  String changedSince;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Linter linter = run.linter(DEFAULT_NAMESPACE);
    List<SourceFile> reported;
    List<SourceFile> contextFiles = context.isEmpty() ? List.of() : RunOptions.sources(context);
    if (changedSince != null) {
      List<String> roots = paths.isEmpty() ? List.of(".") : paths;
      List<SourceFile> all = RunOptions.sources(roots);
      Path first = Path.of(roots.get(0)).toAbsolutePath();
      Set<Path> changed = GitChanges.since(changedSince, Files.isDirectory(first) ? first : first.getParent());
      reported = all.stream().filter(f -> f.path() != null && changed.contains(f.path().toAbsolutePath().normalize())).toList();
      contextFiles = new ArrayList<>(contextFiles);
      contextFiles.addAll(all);
    } else if (paths.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'PATH'");
    } else {
      reported = RunOptions.sources(paths);
    }
    return options.report(linter.lint(reported, contextFiles));
  }
}
