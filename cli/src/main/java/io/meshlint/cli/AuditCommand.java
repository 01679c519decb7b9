package io.meshlint.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshlint.cli.audit.ClusterReader;
import io.meshlint.cli.audit.Progress;
import io.meshlint.cluster.ClusterKinds;
import io.meshlint.core.Linter;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.InputException;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = {
    "Lint a live cluster: read, through a kubeconfig, every kind meshlint's rules read and lint it as lint lints files.",
    "Objects in the namespaces audited are reported; the rest of the cluster resolves references. With -f, local "
        + "manifests are linted too and replace the cluster's objects of the same kind, namespace and name."})
final class AuditCommand implements Callable<Integer> {
  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config or in-cluster)")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current context)")
  String context;

  @Option(names = {"-n", "--namespace"}, split = ",", paramLabel = "NS", description = "namespaces to audit (default: the context's namespace, else default)")
  List<String> namespaces = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"}, description = "audit every namespace and the cluster-scoped objects")
  boolean allNamespaces;

  @Option(names = {"-f", "--filename"}, paramLabel = "PATH", description = "local manifests (file, directory or -) to lint against the cluster; they replace the cluster's objects of the same kind, namespace and name")
  List<String> files = new ArrayList<>();

  @Option(names = "--include-secrets", description = "also read Secrets (for the TLS credential rules); their values are redacted except public certificates")
  boolean includeSecrets;

  @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "30", description = "timeout of each request to the API server (default: ${DEFAULT-VALUE})")
  int requestTimeout;

  @Mixin
  RunOptions run;

  @Mixin
  LintOptions options;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (allNamespaces && !namespaces.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "-n/--namespace and --all-namespaces exclude each other");
    }
    Config config = config();
    String contextNamespace = config.getNamespace() != null && !config.getNamespace().isBlank() ? config.getNamespace() : "default";
    Set<String> audited = allNamespaces ? null : new LinkedHashSet<>(namespaces.isEmpty() ? List.of(contextNamespace) : namespaces);
    String fallbackNamespace = audited == null ? contextNamespace : audited.iterator().next();
    Linter linter = run.linter(fallbackNamespace);
    List<SourceFile> local = files.isEmpty() ? List.of() : RunOptions.sources(files);

    ClusterReader.Result cluster;
    try (KubernetesClient client = ClusterKinds.client(config)) {
      cluster = new ClusterReader(client, audited, includeSecrets, Progress.forTerminal(System.err), System.err).read();
    } catch (KubernetesClientException e) {
      throw new InputException(describe(e, config));
    }

    Set<String> replaced = localKeys(local, run.defaultNamespace(fallbackNamespace));
    List<SourceFile> reported = new ArrayList<>(local);
    List<SourceFile> contextSources = new ArrayList<>();
    int objects = 0;
    for (ClusterReader.ClusterObject o : cluster.objects()) {
      if (replaced.contains(key(o.group(), o.kind(), o.namespace(), o.name()))) {
        continue;
      }
      objects++;
      (o.reported() ? reported : contextSources).add(o.source());
    }
    System.err.println("meshlint: read " + objects + " objects from " + config.getMasterUrl()
        + (audited == null ? " (all namespaces)" : " (namespaces " + String.join(",", audited) + ")")
        + (local.isEmpty() ? "" : ", " + (cluster.objects().size() - objects) + " replaced by local manifests"));
    return options.report(linter.lint(reported, contextSources));
  }

  /** The kubeconfig, its context and the client settings; a missing file or context is a usage error. */
  private Config config() {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw new InputException("kubeconfig not found: " + kubeconfig);
      }
      String text;
      try {
        text = Files.readString(kubeconfig);
      } catch (IOException e) {
        throw new InputException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
      }
      try {
        config = Config.fromKubeconfig(context, text, kubeconfig.toAbsolutePath().toString());
      } catch (KubernetesClientException | IllegalArgumentException e) {
        throw new InputException("cannot use the kubeconfig " + kubeconfig + ": " + e.getMessage());
      }
    } else {
      try {
        config = Config.autoConfigure(context);
      } catch (KubernetesClientException | IllegalArgumentException e) {
        throw new InputException("cannot load a kubeconfig: " + e.getMessage());
      }
    }
    if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
      throw new InputException("context " + context + " not found in the kubeconfig"
          + (kubeconfig != null ? " " + kubeconfig : ""));
    }
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new InputException("no API server: the kubeconfig names no cluster (give --kubeconfig FILE or set KUBECONFIG)");
    }
    int millis = Math.max(1, requestTimeout) * 1000;
    config.setRequestTimeout(millis);
    config.setConnectionTimeout(Math.min(millis, 10_000));
    config.setRequestRetryBackoffLimit(1);
    return config;
  }

  private static String describe(KubernetesClientException e, Config config) {
    return ClusterKinds.describeFailure(e, config.getMasterUrl());
  }

  /** Kind, namespace and name of every local manifest, which hides the cluster's object of the same key. */
  private static Set<String> localKeys(List<SourceFile> local, String defaultNamespace) {
    Set<String> keys = new HashSet<>();
    if (local.isEmpty()) {
      return keys;
    }
    for (Resource r : new Loader(defaultNamespace, YamlReader.Limits.DEFAULT).load(local, true).resources()) {
      keys.add(key(r.group(), r.kind(), r.namespace(), r.name()));
    }
    return keys;
  }

  private static String key(String group, String kind, String namespace, String name) {
    return group + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }
}
