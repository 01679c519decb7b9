package io.meshlint.core;

import io.meshlint.core.mesh.DefaultIngressGateway;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshConfigs;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshNetworks;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Findings;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One lint run: load the inputs (and the context, whose resources resolve references but are not
 * reported), find the mesh config and mesh networks, add what {@code istioctl analyze} assumes on
 * files, and run the engine.
 */
public final class Linter {
  private final Settings settings;
  private final MeshConfig meshConfig;
  private final Resource meshNetworks;
  private final Loader loader;
  private final Engine engine;
  /** Read on the first run that assumes it, then shared by later runs of this linter. */
  private List<Resource> defaultIngressGateway;

  /**
   * @param meshConfig the mesh config given by the user, or null to look for the {@code istio}
   *     ConfigMap among the inputs
   */
  public Linter(List<Rule> rules, Engine.Selection selection, Settings settings, MeshConfig meshConfig,
      YamlReader.Limits limits) {
    this(rules, selection, settings, meshConfig, null, limits);
  }

  /**
   * @param meshNetworks the mesh networks given by the user (see {@link MeshNetworks#fromFile}), or
   *     null to look for them in the {@code istio} ConfigMap among the inputs
   */
  public Linter(List<Rule> rules, Engine.Selection selection, Settings settings, MeshConfig meshConfig,
      Resource meshNetworks, YamlReader.Limits limits) {
    this.settings = settings;
    this.meshConfig = meshConfig;
    this.meshNetworks = meshNetworks;
    this.loader = new Loader(settings.defaultNamespace(), limits);
    this.engine = new Engine(rules, selection, limits);
  }

  /**
   * The findings of a run, the reported files linted, how many resources they held, and the
   * reported files skipped because they hold no Kubernetes manifest.
   */
  public record Report(Findings all, List<SourceFile> sourceFiles, int resources, List<Loader.Skipped> skipped) {
    public int files() {
      return sourceFiles.size();
    }

    /** Every finding located, in report order; a report format walks {@link #all} instead. */
    public List<Finding> findings() {
      return all.toList();
    }
  }

  /**
   * A run's report together with the mesh it looked at: the index over every loaded resource
   * (reported, context and assumed defaults), for tools such as {@code meshlint graph} that show
   * the findings on the mesh.
   */
  public record Run(Report report, MeshIndex mesh) {}

  /**
   * Lints the given sources.
   *
   * @param reported files to report on
   * @param context files read only to resolve references; files also in {@code reported} are skipped
   */
  public Report lint(List<SourceFile> reported, List<SourceFile> context) {
    return run(reported, context).report();
  }

  /** Lints as {@link #lint} does and also returns the mesh index the rules read. */
  public Run run(List<SourceFile> reported, List<SourceFile> context) {
    Set<Path> reportedPaths = new HashSet<>();
    for (SourceFile f : reported) {
      if (f.path() != null) {
        reportedPaths.add(f.path().toAbsolutePath().normalize());
      }
    }
    List<SourceFile> contextOnly = context.stream()
        .filter(f -> f.path() == null || !reportedPaths.contains(f.path().toAbsolutePath().normalize()))
        .toList();
    return run(loader.load(reported, true), loader.load(contextOnly, false));
  }

  /**
   * Lints inputs already read with {@link #load}: a caller that keeps what it read (the language
   * server keeps a workspace) reads again only what changed.
   */
  public Run run(Loader.Result reported, Loader.Result context) {
    Loader.Result input = Loader.Result.merge(reported, context);
    List<Resource> all = new ArrayList<>(settings.assumeDefaultIngressGateway()
        ? DefaultIngressGateway.addUnlessDefined(input.resources(), defaultIngressGateway())
        : input.resources());
    MeshConfig mesh = meshConfig != null ? meshConfig : MeshConfigs.fromResources(all, settings);
    Resource networks = meshNetworks != null ? meshNetworks : MeshNetworks.fromResources(all, settings);
    if (networks != null) {
      all.add(networks);
    }
    Loader.Result withDefaults = new Loader.Result(input.files(), all, input.problems());
    MeshIndex index = new MeshIndex(all, mesh, settings);
    Findings findings = engine.findings(withDefaults, index);
    int reportedResources = (int) reported.resources().stream().filter(Resource::reported).count();
    Set<SourceFile> skipped = Collections.newSetFromMap(new IdentityHashMap<>());
    reported.skipped().forEach(s -> skipped.add(s.file()));
    List<SourceFile> linted = reported.files().stream().filter(f -> !skipped.contains(f)).toList();
    return new Run(new Report(findings, linted, reportedResources, reported.skipped()), index);
  }

  /** Reads {@code files} as this linter's runs read them; {@code reported} for the files to report on. */
  public Loader.Result load(List<SourceFile> files, boolean reported) {
    return loader.load(files, reported);
  }

  private List<Resource> defaultIngressGateway() {
    if (defaultIngressGateway == null) {
      defaultIngressGateway = DefaultIngressGateway.load(loader);
    }
    return defaultIngressGateway;
  }
}
