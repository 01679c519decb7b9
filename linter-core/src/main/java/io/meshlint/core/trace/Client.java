package io.meshlint.core.trace;

import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Resource;
import java.util.Map;

/**
 * The proxy that routes a request: a gateway's, a workload's sidecar, or none (a workload without
 * sidecar). Route matches, DestinationRules and authorization read it.
 *
 * @param namespace the proxy's namespace, which decides what it sees (exportTo, DestinationRules)
 * @param labels the proxy's pod labels; empty when not known ({@code --from namespace:NS})
 * @param serviceAccount the identity its certificate carries; null when not known
 * @param gatewayName {@code mesh} for sidecars, {@code ns/name} of the Gateway a gateway routes for
 * @param workload the proxy's workload, null for {@code --from namespace:NS}
 * @param sidecar the Sidecar resource that scopes a sidecar, null for none
 * @param proxy false for a workload without sidecar: its requests leave unrouted
 */
record Client(String namespace, Map<String, String> labels, String serviceAccount, String gatewayName,
    Workload workload, Resource sidecar, boolean proxy) {

  boolean isGateway() {
    return !gatewayName.equals(GatewayRef.MESH);
  }

  /** The same gateway proxy routing for another of the Gateways it serves. */
  Client forGateway(Resource gateway) {
    return new Client(namespace, labels, serviceAccount, gateway.namespace() + "/" + gateway.name(), workload, sidecar,
        proxy);
  }

  /** The SPIFFE identity without its scheme, as authorization policies write principals. */
  String principal(String trustDomain) {
    return serviceAccount == null ? null : trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }
}
