package io.meshlint.core.rules.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Istio's rule for namespace-scoped policies (Sidecar, Telemetry): each workload gets at most one
 * policy that selects it, and each namespace at most one policy without a selector.
 */
public final class WorkloadSelectors {
  private WorkloadSelectors() {}

  /** How a workload is named in messages: a Pod by its name, a pod template by its controller. */
  public static String workloadName(Workload w) {
    return w.isPod() ? w.owner().name() : w.owner().kind() + "/" + w.owner().name();
  }

  /**
   * Reports, once, when the subject's non-empty selector and another policy of the namespace both
   * select a workload. {@code message} takes the policies that select those workloads (a Go list),
   * the namespace and the workloads ({@code pod "a"}, {@code pods "a", "b" and 3 more}).
   */
  public static void reportConflicts(Resource subject, FieldPath selectorPath, Function<Resource, JsonNode> selectorOf,
      String kind, String message, RuleContext ctx) {
    reportConflicts(subject, selectorPath, selectorOf, kind, message, w -> false, ctx);
  }

  /** As above, leaving out the workloads {@code skipped} accepts. */
  public static void reportConflicts(Resource subject, FieldPath selectorPath, Function<Resource, JsonNode> selectorOf,
      String kind, String message, Predicate<Workload> skipped, RuleContext ctx) {
    Map<String, String> selector = Resource.stringMap(selectorOf.apply(subject));
    if (selector.isEmpty()) {
      return;
    }
    List<Resource> policies = distinct(ctx.mesh().resourcesIn(kind, subject.namespace()));
    TreeSet<String> selecting = new TreeSet<>();
    Others workloads = new Others();
    for (Workload w : ctx.mesh().workloadsMatching(subject.namespace(), selector)) {
      if (skipped.test(w)) {
        continue;
      }
      TreeSet<String> selectingThis = new TreeSet<>();
      for (Resource policy : policies) {
        Map<String, String> theirs = Resource.stringMap(selectorOf.apply(policy));
        if (!theirs.isEmpty() && w.matches(theirs)) {
          selectingThis.add(policy.name());
        }
      }
      if (selectingThis.size() > 1) {
        selecting.addAll(selectingThis);
        workloads.add("\"" + workloadName(w) + "\"");
      }
    }
    if (!workloads.isEmpty()) {
      Others names = new Others();
      selecting.forEach(names::add);
      String pods = (workloads.count() == 1 ? "pod " : "pods ") + workloads.joined(", ");
      ctx.report(selectorPath, message.formatted(names.goList(), subject.namespace(), pods));
    }
  }

  /** Reports when the subject and another policy of its namespace both lack a selector. */
  public static void reportMultipleDefaults(Resource subject, Function<Resource, Boolean> hasSelector, String kind,
      String message, RuleContext ctx) {
    if (hasSelector.apply(subject)) {
      return;
    }
    TreeSet<String> defaults = new TreeSet<>();
    for (Resource policy : distinct(ctx.mesh().resourcesIn(kind, subject.namespace()))) {
      if (!hasSelector.apply(policy)) {
        defaults.add(policy.name());
      }
    }
    if (defaults.size() > 1) {
      ctx.report(FieldPath.of("metadata", "name"), message.formatted(goList(defaults), subject.namespace()));
    }
  }

  /** A list as Go's %v prints it, which Istio's messages use: {@code [a b]}. */
  public static String goList(Iterable<String> items) {
    return "[" + String.join(" ", items) + "]";
  }

  /** One resource per name: a policy defined twice (a base and an overlay) is one policy, not two. */
  private static List<Resource> distinct(List<Resource> resources) {
    Map<String, Resource> byName = new LinkedHashMap<>();
    resources.forEach(r -> byName.putIfAbsent(r.name(), r));
    return new ArrayList<>(byName.values());
  }
}
