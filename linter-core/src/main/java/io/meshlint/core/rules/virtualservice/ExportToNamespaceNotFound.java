package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

@RuleMeta(
    code = "MSH1040",
    name = "ExportToNamespaceNotFound",
    severity = Severity.ERROR,
    summary = "An exportTo entry names a namespace that does not exist, or repeats a namespace.",
    description = """
        `exportTo` limits the namespaces that see a VirtualService, DestinationRule or \
        ServiceEntry. Istio accepts any name there, so a typo (`prod-ap` for `prod-api`) silently \
        hides the resource from the namespace that needed it: its clients get no route, no \
        traffic policy or no host (404, 503, or plaintext where mTLS was meant). A namespace listed \
        twice is harmless but usually a copy-paste slip that hides the intended one.

        A namespace exists when the inputs hold a Namespace object for it or any resource in it. \
        The check runs only when the inputs contain at least one Namespace object; otherwise \
        meshlint cannot tell a missing namespace from one that simply is not among the files. \
        `.`, `*` and `~` are Istio's own values and always valid.

        The severity is Kiali's for KIA0005: error.

        Fix the name, create the namespace, or remove the entry.""",
    subjects = {Kinds.VIRTUAL_SERVICE, Kinds.DESTINATION_RULE, Kinds.SERVICE_ENTRY},
    reads = {Kinds.NAMESPACE},
    aliases = {"KIA0005"})
public final class ExportToNamespaceNotFound implements Rule {

  @Override
  public void check(Resource subject, RuleContext ctx) {
    JsonNode exportTo = subject.tree().path("spec").path("exportTo");
    Set<String> seen = new HashSet<>();
    Trees.forEach(exportTo, FieldPath.of("spec", "exportTo"), (entry, path) -> {
      String ns = entry.asText();
      if (!seen.add(ns)) {
        ctx.report(path, "exportTo lists namespace \"" + ns + "\" more than once");
      } else if (!Set.of(".", "*", "~").contains(ns) && Boolean.FALSE.equals(ctx.mesh().namespaceKnown(ns))) {
        ctx.report(path, "exportTo names namespace \"" + ns + "\", which does not exist among the inputs");
      }
    });
  }
}
