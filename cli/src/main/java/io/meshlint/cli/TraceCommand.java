package io.meshlint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.cli.report.JsonReporter;
import io.meshlint.cli.report.TextReporter;
import io.meshlint.core.Linter;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.trace.Request;
import io.meshlint.core.trace.Trace;
import io.meshlint.core.trace.TraceJson;
import io.meshlint.core.trace.TraceText;
import io.meshlint.core.trace.Tracer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trace", mixinStandardHelpOptions = true, description = {
    "Follow one request through the mesh the manifests configure and say what Istio would do with it: "
        + "the Gateway server and VirtualService rule that take it, the DestinationRule subset, the destinations "
        + "with their workloads, client TLS and authorization, and the outcome.",
    "Reads inputs as lint does. Exit status: 0 routed, redirect or direct-response; 1 no-route, denied, "
        + "no-endpoints, blocked or fault; 2 bad usage or unreadable input."})
final class TraceCommand implements Callable<Integer> {
  enum Output { text, json }

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "file, directory (recursive: *.yaml, *.yml, *.json) or - for standard input")
  List<String> paths = new ArrayList<>();

  @Option(names = "--context", paramLabel = "DIR", description = "report findings only on the PATHs given; resolve references against every manifest under DIR")
  List<String> context = new ArrayList<>();

  @Mixin
  RunOptions run;

  @Option(names = "--url", required = true, paramLabel = "URL", description = "http://HOST[:PORT]/PATH[?QUERY], https://HOST[:PORT]/PATH (TLS, SNI HOST) or tcp://HOST:PORT")
  String url;

  @Option(names = "--method", defaultValue = "GET", paramLabel = "M", description = "HTTP method (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--header", paramLabel = "NAME:VALUE", description = "a request header; repeatable")
  List<String> headers = new ArrayList<>();

  @Option(names = "--from", defaultValue = "gateway", paramLabel = "SOURCE", description = "gateway (the Gateway exposing HOST:PORT), "
      + "gateway:NS/NAME, workload:NS/NAME or namespace:NS (default: ${DEFAULT-VALUE})")
  String from;

  @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  Output output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (paths.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'PATH'");
    }
    Request request = Request.parse(url, method, headers, from);
    Linter.Run result = run.linter(LintCommand.DEFAULT_NAMESPACE).run(RunOptions.sources(paths),
        context.isEmpty() ? List.of() : RunOptions.sources(context));
    Trace trace = new Tracer(result.mesh()).trace(request);
    List<Finding> findings = findingsOn(trace, result.report().findings());
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    if (output == Output.json) {
      ObjectNode root = TraceJson.of(trace);
      ArrayNode list = root.putArray("findings");
      findings.forEach(f -> list.add(JsonReporter.finding(f)));
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      new TraceText().story(trace).forEach(out::println);
      boolean ansi = LintOptions.ansi();
      findings.forEach(f -> out.println("  " + TextReporter.line(f, ansi)));
      out.println(TraceText.outcome(trace));
    }
    out.flush();
    return trace.outcome().result().failed() ? Main.EXIT_FINDINGS : Main.EXIT_CLEAN;
  }

  /** Lint's findings on the objects the request passes: hops, targets, DestinationRules, workloads, policies. */
  private static List<Finding> findingsOn(Trace trace, List<Finding> findings) {
    Set<ResourceKey> keys = new HashSet<>();
    trace.hops().forEach(h -> keys.add(h.resource().key()));
    for (Trace.Destination d : trace.destinations()) {
      for (Resource r : new Resource[] {d.target(), d.destinationRule(), d.authorization().policy()}) {
        if (r != null) {
          keys.add(r.key());
        }
      }
      d.workloads().forEach(w -> keys.add(w.key()));
    }
    return findings.stream().filter(f -> f.resource() != null && keys.contains(f.resource())).toList();
  }
}
