package io.meshlint.core.rules.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.InjectionWebhooks.Webhook;
import io.meshlint.core.mesh.InjectionWebhooks;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

@RuleMeta(
    code = "IST0139",
    name = "InvalidWebhook",
    severity = Severity.ERROR,
    summary = "Istio injection webhooks overlap, or one calls a control plane Service that does not exist.",
    description = """
        Every pod is sent to each mutating webhook whose selectors match it. When two of Istio's \
        injection webhooks match the same pod (typically two revisions, or a revision tag and the \
        default revision, both selecting a namespace), the pod is injected twice and fails to \
        start or runs a broken proxy. A webhook that calls a Service that does not exist fails \
        every call: pods are created without sidecar, or not at all with `failurePolicy: Fail`.

        meshlint checks, as `istioctl analyze` does, the MutatingWebhookConfigurations among the \
        inputs that belong to Istio (a webhook named `*istio.io`, or an `istio.io/rev` label or \
        selector):
        - overlap: for every combination of the namespace labels `istio-injection` (absent, \
        `enabled`, `disabled`) and `istio.io/rev` (absent, or each revision the configurations \
        name) with the pod labels `sidecar.istio.io/inject` (absent, `true`, `false`) and \
        `istio.io/rev`, at most one webhook may match. Each overlapping webhook is reported once, \
        naming the others (`istioctl analyze` repeats it for each combination);
        - `clientConfig.service` names a Service among the inputs.

        Fix: give the webhooks disjoint selectors (with revisions, use `istioctl tag` rather than \
        hand-written webhooks, and remove the webhooks of an uninstalled revision); point \
        `clientConfig.service` at istiod's Service, or include that Service in the inputs.""",
    subjects = {InjectionWebhooks.KIND},
    reads = {Kinds.SERVICE})
public final class InvalidWebhook implements Rule {
  private static final String REVISION = InjectionWebhooks.REVISION_LABEL;

  @Override
  public void check(Resource config, RuleContext ctx) {
    InjectionWebhooks all = ctx.mesh().injectionWebhooks();
    Set<String> revisions = new TreeSet<>();
    List<Webhook> istios = new ArrayList<>();
    for (Resource c : all.configurations()) {
      List<Webhook> webhooks = all.webhooks(c);
      Set<String> revs = revisions(c, webhooks);
      if (!revs.isEmpty() || webhooks.stream().anyMatch(Webhook::isIstios)) {
        revisions.addAll(revs);
        istios.addAll(webhooks);
      }
    }
    List<Webhook> mine = istios.stream().filter(w -> w.config() == config).toList();
    if (mine.isEmpty()) {
      return;
    }
    List<Map<String, String>> namespaces = permutations(Injection.NAMESPACE_LABEL, Injection.ENABLED,
        Injection.DISABLED, revisions);
    List<Map<String, String>> pods = permutations(Injection.POD_LABEL, "true", "false", revisions);
    for (Webhook webhook : mine) {
      Set<String> others = new TreeSet<>();
      for (Map<String, String> ns : namespaces) {
        for (Map<String, String> pod : pods) {
          if (webhook.selects(ns, pod)) {
            istios.stream().filter(w -> w != webhook && w.selects(ns, pod)).forEach(w -> others.add(w.fullName()));
          }
        }
      }
      if (!others.isEmpty()) {
        ctx.report(webhook.path(), "Webhook overlaps with others: " + WorkloadSelectors.goList(others)
            + ". This may cause injection to occur twice.");
      }
      JsonNode service = webhook.clientConfig().path("service");
      if (service.isObject()) {
        String namespace = service.path("namespace").asText("");
        String name = service.path("name").asText("");
        if (!ctx.mesh().exists(Kinds.SERVICE, namespace, name)) {
          ctx.report(webhook.path().key("clientConfig").key("service"), "Injector refers to a control plane service "
              + "that does not exist: " + (namespace.isEmpty() ? "" : namespace + "/") + name + ".");
        }
      }
    }
  }

  /** The revisions a configuration serves: its label, and those its selectors name. */
  private static Set<String> revisions(Resource config, List<Webhook> webhooks) {
    Set<String> out = new TreeSet<>();
    if (config.labels().containsKey(REVISION)) {
      out.add(config.labels().get(REVISION));
    }
    for (Webhook w : webhooks) {
      for (var selector : List.of(w.namespaceSelector(), w.objectSelector())) {
        String rev = selector.matchLabels().get(REVISION);
        if (rev != null) {
          out.add(rev);
        }
        out.addAll(selector.expressionValues(REVISION));
      }
    }
    return out;
  }

  /** The label sets Istio tries: none, {@code key=yes}, {@code key=no}, each also with every revision. */
  private static List<Map<String, String>> permutations(String key, String yes, String no, Set<String> revisions) {
    List<Map<String, String>> base = List.of(Map.of(), Map.of(key, yes), Map.of(key, no));
    List<Map<String, String>> out = new ArrayList<>(base);
    for (String rev : revisions) {
      for (Map<String, String> labels : base) {
        Map<String, String> withRev = new HashMap<>(labels);
        withRev.put(REVISION, rev);
        out.add(withRev);
      }
    }
    return out;
  }
}
