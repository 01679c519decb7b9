package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --mesh-networks}: findings about the mesh networks are reported on Istio's synthetic resource, in the file. */
class MeshNetworksTest {
  private static final String NETWORKS = """
      networks:
        network1:
          endpoints:
          - fromRegistry: cluster9
          gateways:
          - address: 192.0.2.10
            port: 15443
      """;

  @Test
  void bareMeshNetworksFile(@TempDir Path dir) throws IOException {
    Path networks = Files.writeString(dir.resolve("networks.yaml"), NETWORKS);
    Path app = Files.writeString(dir.resolve("app.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n");
    Cli.Result r = Cli.run("lint", "--mesh-networks", networks.toString(), app.toString());
    assertTrue(r.out().contains("Error [IST0126] (MeshNetworks istio-system/meshnetworks "
        + networks.toString().replace('\\', '/') + ":4) Unknown service registry cluster9 in network network1"), r.out());
    assertEquals(1, r.status());
  }

  @Test
  void istioConfigMapFile(@TempDir Path dir) throws IOException {
    String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
        + "data:\n  meshNetworks: |\n" + NETWORKS.indent(4);
    Path networks = Files.writeString(dir.resolve("istio.yaml"), configMap);
    Path app = Files.writeString(dir.resolve("app.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n");
    Cli.Result r = Cli.run("lint", "--mesh-networks", networks.toString(), app.toString());
    assertTrue(r.out().contains("[IST0126] (MeshNetworks istio-system/meshnetworks"), r.out());
  }

  @Test
  void missingFileIsAUsageError() {
    assertEquals(2, Cli.run("lint", "--mesh-networks", "no-such-file.yaml", Cli.TYPO).status());
  }
}
