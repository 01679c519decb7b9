package io.meshlint.core.rules.serviceentry;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0134",
    name = "ServiceEntryAddressesRequired",
    severity = Severity.WARNING,
    summary = "A ServiceEntry has TCP ports but no addresses, so its hosts cannot be told apart.",
    description = """
        Plain TCP carries no host name, so the sidecar can only route TCP traffic by destination \
        address and port. A ServiceEntry with a TCP port (or a port without protocol; the protocol is compared regardless of case, as istioctl does) and no \
        `addresses` gets a listener on `0.0.0.0:<port>`: every ServiceEntry doing the same on that \
        port collides, and traffic for one host may go to another.

        meshlint reports, as `istioctl analyze` does, each such port of a ServiceEntry without \
        `addresses`, unless the mesh config turns on DNS proxying with automatic address \
        allocation (`defaultConfig.proxyMetadata` `ISTIO_META_DNS_CAPTURE` and \
        `ISTIO_META_DNS_AUTO_ALLOCATE` both `"true"`) or the ServiceEntry's `status.addresses` \
        shows an allocated address (Istio 1.25 and later allocate one in the cluster; files \
        rarely carry a status, so meshlint cannot know whether that allocation is on).

        Fix: add `addresses` (a virtual IP or CIDR), declare the port's real protocol (`HTTP`, \
        `TLS`, ...), or enable DNS auto allocation.""",
    subjects = {Kinds.SERVICE_ENTRY})
public final class ServiceEntryAddressesRequired implements Rule {

  @Override
  public void check(Resource se, RuleContext ctx) {
    JsonNode spec = se.tree().path("spec");
    if (!spec.path("addresses").isEmpty() || !se.tree().path("status").path("addresses").isEmpty()
        || autoAllocated(ctx.mesh().meshConfig().raw())) {
      return;
    }
    Trees.forEach(spec.path("ports"), FieldPath.of("spec", "ports"), (port, path) -> {
      String protocol = port.path("protocol").asText("");
      if (protocol.isEmpty() || protocol.equalsIgnoreCase("TCP")) {
        ctx.report(path, "ServiceEntry addresses are required for this protocol.");
      }
    });
  }

  private static boolean autoAllocated(JsonNode mesh) {
    JsonNode metadata = mesh.path("defaultConfig").path("proxyMetadata");
    return metadata.path("ISTIO_META_DNS_CAPTURE").asText().equals("true")
        && metadata.path("ISTIO_META_DNS_AUTO_ALLOCATE").asText().equals("true");
  }
}
