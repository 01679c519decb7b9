package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.List;

/** Where Istio looks for a Gateway's {@code credentialName} Secrets. */
public final class GatewayCredentials {
  private GatewayCredentials() {}

  /**
   * The namespace of the first workload the Gateway's selector matches, where the gateway proxy
   * reads its Secrets (not the Gateway's own namespace); null when the selector is empty or matches none.
   */
  public static String workloadNamespace(Resource gateway, MeshView mesh) {
    var selector = Resource.stringMap(gateway.tree().path("spec").path("selector"));
    if (selector.isEmpty()) {
      return null;
    }
    List<Workload> workloads = mesh.workloadsMatching(null, selector);
    return workloads.isEmpty() ? null : workloads.get(0).namespace();
  }

  /** The Secret a credentialName names, {@code name} or {@code namespace/name}, seen from the workload namespace. */
  public static Resource secret(String credentialName, String workloadNamespace, MeshView mesh) {
    int slash = credentialName.indexOf('/');
    return slash < 0 ? mesh.get(Kinds.SECRET, workloadNamespace, credentialName)
        : mesh.get(Kinds.SECRET, credentialName.substring(0, slash), credentialName.substring(slash + 1));
  }

  /** Calls {@code action} for each server's non-empty {@code tls.credentialName}, with the server's index. */
  public static void forEachCredential(Resource gateway, CredentialAction action) {
    JsonNode servers = gateway.tree().path("spec").path("servers");
    // A mangled Gateway may hold servers as a map; the schema check reports that.
    for (int i = 0; servers.isArray() && i < servers.size(); i++) {
      String name = servers.get(i).path("tls").path("credentialName").asText("");
      if (!name.isEmpty()) {
        action.accept(i, name);
      }
    }
  }

  public interface CredentialAction {
    void accept(int serverIndex, String credentialName);
  }
}
