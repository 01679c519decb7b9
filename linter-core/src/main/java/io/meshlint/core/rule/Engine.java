package io.meshlint.core.rule;

import io.meshlint.core.mesh.Dependents;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.InputRules;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.source.InputProblem;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import io.meshlint.core.source.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs the enabled rules over the loaded resources. Each rule is called once for each resource of
 * its subject kinds and reads the rest of the mesh through the index, so a run costs time linear in
 * the number of resources. Findings are then filtered (context files, ignored paths, suppression
 * annotations) and given their severity; {@link Findings} locates and sorts them as they are walked.
 */
public final class Engine {
  public static final String IGNORE_ANNOTATION = "meshlint.io/ignore";
  public static final String ISTIO_SUPPRESS_ANNOTATION = "galley.istio.io/analyze-suppress";

  private final List<Rule> rules;
  private final Map<String, RuleInfo> inputRules = new HashMap<>();
  private final Map<String, Rule> rulesByCode = new HashMap<>();
  /** The rules switched on, by each kind they check: {@link #check} runs many times on few resources. */
  private final Map<String, List<Enabled>> enabledBySubject = new HashMap<>();
  /**
   * Whether a file is ignored, by display name. Bounded: a long-running webhook checks a new file
   * (the request's object) for every request, all under one name, but informers name each object.
   */
  private final Map<String, Boolean> ignoredFiles = new ConcurrentHashMap<>();
  private static final int MAX_IGNORED_FILES_CACHED = 1 << 16;
  private final Selection selection;
  private final YamlReader.Limits limits;

  /**
   * Which rules run and at what severity.
   *
   * @param overrides per code: empty to switch off, else the severity to report at
   * @param enabled codes switched on though off by default (or by {@code overrides})
   * @param disabled codes switched off
   * @param ignore display paths whose findings are not reported
   */
  public record Selection(Map<String, Optional<Severity>> overrides, Set<String> enabled, Set<String> disabled,
      PathMatcher ignore) {
    /** Ignores no path: the engine then skips asking, which a webhook would do for every check of every request. */
    public static final PathMatcher IGNORE_NOTHING = p -> false;
    public static final Selection DEFAULTS = new Selection(Map.of(), Set.of(), Set.of(), IGNORE_NOTHING);

    boolean isOn(RuleInfo rule) {
      if (disabled.contains(rule.code())) {
        return false;
      }
      if (enabled.contains(rule.code())) {
        return true;
      }
      Optional<Severity> override = overrides.get(rule.code());
      return override == null ? rule.enabledByDefault() : override.isPresent();
    }

    Severity severityOf(RuleInfo rule, Severity reported) {
      Optional<Severity> override = overrides.get(rule.code());
      return override != null && override.isPresent() ? override.get() : reported;
    }
  }

  /** The codes of the enabled rules that read each kind. */
  private final Map<String, Set<String>> codesReading = new HashMap<>();

  /**
   * The rules that read any of {@code kinds}: only those can answer differently for a resource
   * that did not change when resources of those kinds do.
   */
  public Predicate<RuleInfo> readingAny(Collection<String> kinds) {
    Set<String> codes = codesReadingAny(kinds);
    return info -> codes.contains(info.code());
  }

  /** The codes of the enabled rules that read any of {@code kinds}. */
  public Set<String> codesReadingAny(Collection<String> kinds) {
    if (kinds.size() == 1) {
      return codesReading.getOrDefault(kinds.iterator().next(), Set.of());
    }
    Set<String> codes = new HashSet<>();
    for (String kind : kinds) {
      codes.addAll(codesReading.getOrDefault(kind, Set.of()));
    }
    return codes;
  }

  public Engine(List<Rule> rules, Selection selection, YamlReader.Limits limits) {
    this.rules = rules;
    this.selection = selection;
    this.limits = limits;
    for (Rule rule : rules) {
      RuleInfo info = rule.info();
      rulesByCode.put(info.code(), rule);
      if (selection.isOn(info)) {
        for (String kind : info.subjects()) {
          enabledBySubject.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Enabled(rule, info));
        }
        for (String kind : info.reads()) {
          codesReading.computeIfAbsent(kind, k -> new HashSet<>()).add(info.code());
        }
      }
    }
    for (RuleInfo info : InputRules.ALL) {
      inputRules.put(info.code(), info);
    }
  }

  public List<Finding> run(Loader.Result input, MeshConfig meshConfig, Settings settings) {
    return run(input, new MeshIndex(input.resources(), meshConfig, settings));
  }

  /** Runs over resources already indexed; {@code index} must be built from {@code input.resources()}. */
  public List<Finding> run(Loader.Result input, MeshIndex index) {
    return findings(input, index).toList();
  }

  /**
   * As {@link #run}, the findings to be located as they are walked: a report is then written
   * file by file, never held whole.
   */
  public Findings findings(Loader.Result input, MeshIndex index) {
    TreeMap<String, List<Findings.Item>> byFile = new TreeMap<>();
    for (Finding problem : problems(input.problems())) {
      byFile.computeIfAbsent(problem.location().file(), f -> new ArrayList<>()).add(new Findings.Item(problem, null));
    }
    for (RuleRun run : runAll(index, false)) {
      for (Pending p : run.pending()) {
        byFile.computeIfAbsent(p.subject().file().displayName(), f -> new ArrayList<>())
            .add(new Findings.Item(unlocated(p), p.subject()));
      }
    }
    return new Findings(byFile, limits);
  }

  /**
   * A tracked run: by rule code, which resources' checks read which keys of the index (a change
   * then re-runs only the rules whose checks read what it touches, on those resources), and each
   * checked resource's findings as {@link #check} gives them (no position).
   */
  public record Tracked(Map<String, Dependents> dependentsByRule, Map<Resource, List<Finding>> bySubject) {}

  /**
   * Runs every rule as {@link #run} does, recording what each check read (see {@link Dependents});
   * the findings stay without positions, so that no file is read again.
   */
  public Tracked track(MeshIndex index) {
    Map<Resource, List<Finding>> bySubject = new IdentityHashMap<>();
    Map<String, Dependents> dependents = new HashMap<>();
    for (RuleRun run : runAll(index, true)) {
      for (Pending p : run.pending()) {
        bySubject.computeIfAbsent(p.subject(), k -> new ArrayList<>()).add(unlocated(p));
      }
      dependents.put(run.code(), run.dependents());
    }
    return new Tracked(dependents, bySubject);
  }

  /** Every enabled rule on the reportable resources of its subject kinds, in parallel by rule. */
  private List<RuleRun> runAll(MeshIndex index, boolean tracking) {
    Map<String, List<Resource>> reportable = new ConcurrentHashMap<>();
    List<RuleRun> runs = rules.parallelStream()
        .map(Rule::info)
        .filter(selection::isOn)
        .map(info -> {
          MeshView view = index.view(info.reads());
          List<Resource> subjects = new ArrayList<>();
          for (String kind : info.subjects()) {
            subjects.addAll(reportable.computeIfAbsent(kind, k -> (k.equals(Kinds.ANY) ? index.all() : view.resources(k))
                .stream().filter(this::isReportable).toList()));
          }
          Dependents dependents = tracking ? new Dependents() : null;
          return new RuleRun(info.code(), runRule(rulesByCode.get(info.code()), info, view, subjects, dependents),
              dependents);
        })
        .toList();
    return runs;
  }

  /**
   * Runs the enabled rules that {@code which} accepts on the given resources only, reading the mesh
   * through {@code index}: the findings of a few resources without checking the rest. The findings
   * name their file but no position (line 0): admission decisions match findings by resource and
   * message, and locating them would read their files again on every request.
   */
  public List<Finding> check(MeshIndex index, Collection<Resource> subjects, Predicate<RuleInfo> which) {
    Map<String, List<Resource>> byKind = new HashMap<>();
    for (Resource r : subjects) {
      if (isReportable(r)) {
        byKind.computeIfAbsent(r.kindKey(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Pending> pending = new ArrayList<>();
    byKind.forEach((kind, resources) -> {
      for (String subjectKind : new String[] {kind, Kinds.ANY}) {
        for (Enabled e : enabledBySubject.getOrDefault(subjectKind, List.of())) {
          if (which.test(e.info())) {
            pending.addAll(runRule(e.rule(), e.info(), index.view(e.info().reads()), resources, null));
          }
        }
      }
    });
    List<Finding> findings = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      findings.add(unlocated(p));
    }
    return findings;
  }

  private static Finding unlocated(Pending p) {
    Resource subject = p.subject();
    return new Finding(p.rule(), p.severity(), subject.apiVersion(), subject.key(), p.path(),
        new Location(subject.file().displayName(), 0, 0, subject.helmSource()), p.message(), p.suggestion());
  }

  private record Enabled(Rule rule, RuleInfo info) {}

  /** The findings for problems met while reading the inputs (syntax, limits), unless switched off or ignored. */
  public List<Finding> problems(List<InputProblem> problems) {
    List<Finding> findings = new ArrayList<>();
    for (InputProblem problem : problems) {
      RuleInfo info = inputRules.get(problem.code());
      if (problem.reported() && selection.isOn(info) && !isIgnored(problem.file())) {
        Location at = new Location(problem.file().displayName(), problem.position().line(), problem.position().column(), null);
        findings.add(new Finding(info, selection.severityOf(info, info.severity()), null, null, FieldPath.ROOT, at,
            problem.message(), null));
      }
    }
    return findings;
  }

  /** A finding before its position is known. */
  private record Pending(RuleInfo rule, Severity severity, Resource subject, FieldPath path, String message,
      String suggestion) {}

  private record RuleRun(String code, List<Pending> pending, Dependents dependents) {}

  private boolean isReportable(Resource r) {
    return r.reported() && !isIgnored(r.file());
  }

  /** Runs one rule on its subjects; with {@code dependents}, writes down what each check reads. */
  private List<Pending> runRule(Rule rule, RuleInfo info, MeshView view, List<Resource> subjects,
      Dependents dependents) {
    List<Pending> out = new ArrayList<>();
    for (Resource subject : subjects) {
      if (isSuppressed(subject, info.code())) {
        continue;
      }
      MeshView mesh = dependents == null ? view : view.tracking(dependents.logFor(subject));
      rule.check(subject, new Context(mesh, (path, message, severity, suggestion) -> {
        Severity level = selection.severityOf(info, severity == null ? info.severity() : severity);
        out.add(new Pending(info, level, subject, path, message, suggestion));
      }));
    }
    return out;
  }

  private boolean isIgnored(SourceFile file) {
    if (selection.ignore() == Selection.IGNORE_NOTHING) {
      return false;
    }
    String name = file.displayName();
    Boolean known = ignoredFiles.get(name);
    if (known != null) {
      return known;
    }
    boolean ignored = selection.ignore().matches(Path.of(name));
    if (ignoredFiles.size() < MAX_IGNORED_FILES_CACHED) {
      ignoredFiles.put(name, ignored);
    }
    return ignored;
  }

  /** The resource's annotations switch the code off: {@code meshlint.io/ignore} or Istio's own. */
  static boolean isSuppressed(Resource resource, String code) {
    return listsCode(resource.annotations().get(IGNORE_ANNOTATION), code)
        || listsCode(resource.annotations().get(ISTIO_SUPPRESS_ANNOTATION), code);
  }

  private static boolean listsCode(String annotation, String code) {
    if (annotation == null) {
      return false;
    }
    Set<String> codes = new HashSet<>(Arrays.stream(annotation.split(",")).map(String::trim).toList());
    return codes.contains("*") || codes.contains(code);
  }

  private interface Reporter {
    void report(FieldPath path, String message, Severity severity, String suggestion);
  }

  private record Context(MeshView mesh, Reporter reporter) implements RuleContext {
    @Override
    public void report(FieldPath path, String message, Severity severity, String suggestion) {
      reporter.report(path, message, severity, suggestion);
    }
  }}
