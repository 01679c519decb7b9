package io.meshlint.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's kubernetes-server-mock in CRUD mode as a process of its own, for the webhook's tests:
 * the mock is built on Vert.x 4 and the webhook on Vert.x 5, so they cannot share a class path. It
 * serves the Istio VirtualService and Gateway CRDs, prints {@code url=http://host:port} and runs
 * until its standard input closes.
 */
public final class MockApiServer {
  private MockApiServer() {}

  public static void main(String[] args) throws Exception {
    var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      crd(client, "VirtualService", "virtualservices");
      crd(client, "Gateway", "gateways");
    }
    System.out.println("url=http://" + server.getHostName() + ":" + server.getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until the test closes our standard input (or dies).
    }
    server.destroy();
  }

  /** Serves an Istio networking kind (v1) as its CRD would. */
  static void crd(KubernetesClient client, String kind, String plural) {
    crd(client, "networking.istio.io", "v1", kind, plural);
  }

  /** Serves a namespaced kind of {@code group} at {@code version} as its CRD would. */
  static void crd(KubernetesClient client, String group, String version, String kind, String plural) {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope("Namespaced")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
        .endSpec().build();
    crd.getSpec().setVersions(List.of(
        new CustomResourceDefinitionVersionBuilder().withName(version).withServed(true).withStorage(true).build()));
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }
}
