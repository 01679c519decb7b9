package io.meshlint.cli;

import io.meshlint.cli.graph.DotGraph;
import io.meshlint.cli.graph.GraphTraces;
import io.meshlint.cli.graph.HtmlGraph;
import io.meshlint.cli.graph.MermaidGraph;
import io.meshlint.core.Linter;
import io.meshlint.core.graph.Graph;
import io.meshlint.core.graph.GraphBuilder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", mixinStandardHelpOptions = true, description = {
    "Draw the routing the manifests configure, with the findings on it: Gateways, VirtualServices, subsets, "
        + "Services, ServiceEntries, workloads and the external hosts they call, grouped by namespace.",
    "Reads inputs as lint does. The exit status is 0 whatever the findings; lint is the gate."})
final class GraphCommand implements Callable<Integer> {
  enum Output { mermaid, dot, html }

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "file, directory (recursive: *.yaml, *.yml, *.json) or - for standard input")
  List<String> paths = new ArrayList<>();

  @Option(names = "--context", paramLabel = "DIR", description = "draw only the PATHs given and what they touch; resolve references against every manifest under DIR")
  List<String> context = new ArrayList<>();

  @Mixin
  RunOptions run;

  @Option(names = "--output", defaultValue = "mermaid", description = "mermaid (renders in GitHub and Azure DevOps markdown), dot (Graphviz) or html (one self-contained page) (default: ${DEFAULT-VALUE})")
  Output output;

  @Option(names = "--focus", paramLabel = "HOST|KIND/NS/NAME", description = "draw only what this host or resource reaches and what reaches it")
  String focus;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (paths.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'PATH'");
    }
    Linter.Run result = run.linter(LintCommand.DEFAULT_NAMESPACE).run(RunOptions.sources(paths),
        context.isEmpty() ? List.of() : RunOptions.sources(context));
    Graph graph = GraphBuilder.build(result.mesh(), result.report().findings());
    if (focus != null) {
      graph = graph.focus(focus);
    }
    String text = switch (output) {
      case mermaid -> MermaidGraph.render(graph);
      case dot -> DotGraph.render(graph);
      case html -> HtmlGraph.render(graph, focus == null ? "meshlint graph" : "meshlint graph: " + focus,
          GraphTraces.of(graph, result.mesh()));
    };
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.print(text);
    out.flush();
    return Main.EXIT_CLEAN;
  }
}
