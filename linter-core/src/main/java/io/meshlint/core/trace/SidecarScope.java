package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;

/**
 * What a Sidecar resource lets a workload's proxy see: the hosts of its egress listener for the
 * request's port (or its catch-all listener), and the outbound traffic policy it sets.
 */
final class SidecarScope {
  private SidecarScope() {}

  /** The egress listener that handles {@code port}: the one bound to it, else the one without a port; -1 for none. */
  static int listener(Resource sidecar, int port) {
    JsonNode egress = sidecar.tree().path("spec").path("egress");
    int catchAll = -1;
    for (int i = 0; i < egress.size(); i++) {
      int bound = egress.get(i).path("port").path("number").asInt(0);
      if (bound == port) {
        return i;
      }
      if (bound == 0 && catchAll < 0) {
        catchAll = i;
      }
    }
    return catchAll;
  }

  /**
   * The egress host entry ({@code ns/host}) that imports a host of a configuration in
   * {@code ownerNamespace}: the namespace part {@code *}, {@code .} (the Sidecar's own) or that
   * namespace, and the host part covering the host. Null when the listener imports nothing of it.
   * A Sidecar without egress listeners keeps Istio's default, which imports every host.
   */
  static FieldPath imports(Resource sidecar, int port, String ownerNamespace, String host) {
    if (sidecar.tree().path("spec").path("egress").isEmpty()) {
      return FieldPath.of("spec");
    }
    int listener = listener(sidecar, port);
    if (listener < 0) {
      return null;
    }
    JsonNode hosts = sidecar.tree().path("spec").path("egress").get(listener).path("hosts");
    for (int i = 0; i < hosts.size(); i++) {
      String entry = hosts.get(i).asText();
      int slash = entry.indexOf('/');
      String ns = slash < 0 ? "*" : entry.substring(0, slash);
      String dns = entry.substring(slash + 1);
      boolean namespaceMatches = ns.equals("*") || ns.equals(ownerNamespace)
          || (ns.equals(".") && ownerNamespace.equals(sidecar.namespace()));
      if (namespaceMatches && Hosts.covers(dns, host)) {
        return FieldPath.of("spec", "egress", listener, "hosts", i);
      }
    }
    return null;
  }

  /** The outbound traffic policy mode the Sidecar sets, or null to keep the mesh's. */
  static String outboundPolicy(Resource sidecar) {
    String mode = sidecar == null ? "" : sidecar.tree().path("spec").path("outboundTrafficPolicy").path("mode").asText("");
    return mode.isEmpty() ? null : mode;
  }
}
