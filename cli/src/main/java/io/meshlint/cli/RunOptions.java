package io.meshlint.cli;

import io.meshlint.cli.report.Reporter;
import io.meshlint.core.Linter;
import io.meshlint.core.baseline.Baseline;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.config.ProjectConfig;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshConfigs;
import io.meshlint.core.mesh.MeshNetworks;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How {@code lint}, {@code audit}, {@code graph} and {@code lsp} set up a run: the mesh config and networks, the
 * default namespace, the project config and the rule selection. Mixed into each, so that they read
 * their inputs the same way.
 */
final class RunOptions {
  @Option(names = "--mesh-config", paramLabel = "FILE", description = "Istio MeshConfig: a bare MeshConfig YAML or the istio ConfigMap")
  Path meshConfig;

  @Option(names = "--mesh-networks", paramLabel = "FILE", description = "Istio MeshNetworks: a MeshNetworks YAML or the istio ConfigMap holding it")
  Path meshNetworks;

  @Option(names = "--default-namespace", paramLabel = "NS", description = "namespace of resources whose YAML names none (lint: default; audit: the namespace audited)")
  String defaultNamespace;

  @Option(names = "--config", paramLabel = "FILE", description = "project config (default: .meshlint.yaml in the current directory, when present)")
  Path config;

  @Option(names = "--enable", split = ",", paramLabel = "CODES", description = "rule codes to switch on")
  Set<String> enable = new LinkedHashSet<>();

  @Option(names = "--disable", split = ",", paramLabel = "CODES", description = "rule codes to switch off")
  Set<String> disable = new LinkedHashSet<>();

  /** The namespace given to resources whose YAML names none: {@code --default-namespace}, else {@code fallback}. */
  String defaultNamespace(String fallback) {
    return defaultNamespace != null ? defaultNamespace : fallback;
  }

  /** A linter set up from the project config and these options; configuration errors throw {@link ConfigException}. */
  Linter linter(String fallbackNamespace) {
    return linter(projectConfig(Path.of(Loader.PROJECT_CONFIG)), fallbackNamespace);
  }

  /** A linter set up from {@code project} (in place of the current directory's) and these options. */
  Linter linter(ProjectConfig project, String fallbackNamespace) {
    List<Rule> rules = new ArrayList<>(BuiltinRules.all());
    rules.addAll(project.customRules());
    checkCodes(rules, enable, "--enable");
    checkCodes(rules, disable, "--disable");
    checkCodes(rules, project.rules().keySet(), "rules in the config file");
    Settings settings = Settings.DEFAULT.withDefaultNamespace(defaultNamespace(fallbackNamespace));
    if (project.assumeDefaultIngressGateway() != null) {
      settings = settings.withAssumeDefaultIngressGateway(project.assumeDefaultIngressGateway());
    }
    if (project.systemNamespaces() != null) {
      settings = settings.withSystemNamespaces(project.systemNamespaces());
    }
    MeshConfig mesh = meshConfig == null ? null : MeshConfigs.fromFile(meshConfig);
    Engine.Selection selection = new Engine.Selection(project.rules(), enable, disable, project.ignoreMatcher());
    Resource networks = meshNetworks == null ? null : MeshNetworks.fromFile(meshNetworks, settings);
    return new Linter(rules, selection, settings, mesh, networks, YamlReader.Limits.DEFAULT);
  }

  /** The project config: {@code --config} when given, else {@code implicit} when it exists. */
  ProjectConfig projectConfig(Path implicit) {
    if (config != null) {
      return ProjectConfig.read(config);
    }
    return Files.isRegularFile(implicit) ? ProjectConfig.read(implicit) : ProjectConfig.EMPTY;
  }

  private static void checkCodes(List<Rule> rules, Set<String> codes, String where) {
    Set<String> known = new LinkedHashSet<>();
    BuiltinRules.catalogue().forEach(r -> known.add(r.code()));
    rules.forEach(r -> known.add(r.info().code()));
    for (String code : codes) {
      if (!known.contains(code)) {
        throw new ConfigException("unknown rule code " + code + " in " + where + "; `meshlint rules` lists them");
      }
    }
  }

  /** The manifests named by files, directories (recursive) and - for standard input. */
  static List<SourceFile> sources(List<String> paths) {
    List<SourceFile> out = new ArrayList<>();
    if (paths.contains(Loader.STDIN)) {
      out.add(Loader.readStdin(System.in));
    }
    for (Path file : Loader.expand(paths)) {
      out.add(SourceFile.ofPath(file, file.normalize().toString().replace('\\', '/')));
    }
    return out;
  }
}
