package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Istio's MeshNetworks as a synthetic resource ({@code MeshNetworks istio-system/meshnetworks}, as
 * Istio names it), so that rules check it and report on it like any other resource. It is located
 * in the file it came from: a bare MeshNetworks document, or the {@code meshNetworks} key of the
 * {@code istio} ConfigMap (findings then point at that key).
 */
public final class MeshNetworks {
  public static final String API_VERSION = "mesh.istio.io/v1alpha1";
  public static final String NAME = "meshnetworks";
  private static final String DATA_KEY = "meshNetworks";

  private MeshNetworks() {}

  /** From {@code --mesh-networks}: a MeshNetworks document or the {@code istio} ConfigMap holding one. */
  public static Resource fromFile(Path file, Settings settings) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("mesh networks file not found: " + file);
    }
    SourceFile source = SourceFile.ofPath(file, file.toString().replace('\\', '/'));
    JsonNode root = MeshConfigs.parse(source.readText(), file.toString());
    if (root.path("kind").asText().equals(Kinds.CONFIG_MAP)) {
      JsonNode text = root.path("data").path(DATA_KEY);
      if (!text.isTextual()) {
        throw new ConfigException(file + ": ConfigMap has no data." + DATA_KEY);
      }
      JsonNode networks = MeshConfigs.parse(text.asText(), file + " (data." + DATA_KEY + ")");
      return synthetic(source, 0, FieldPath.of("data", DATA_KEY), networks, settings, true);
    }
    return synthetic(source, 0, FieldPath.ROOT, root, settings, true);
  }

  /** From the {@code meshNetworks} key of the {@code istio} ConfigMap among the inputs, or null. */
  public static Resource fromResources(List<Resource> resources, Settings settings) {
    for (Resource r : resources) {
      if (r.kind().equals(Kinds.CONFIG_MAP) && r.name().equals("istio")
          && settings.istioNamespace().equals(r.namespace())) {
        JsonNode text = r.tree().path("data").path(DATA_KEY);
        if (!text.isTextual()) {
          return null;
        }
        try {
          JsonNode networks = MeshConfigs.parse(text.asText(), r.file().displayName());
          return synthetic(r.file(), r.documentIndex(), r.base().concat(FieldPath.of("data", DATA_KEY)), networks,
              settings, r.reported());
        } catch (ConfigException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Resource synthetic(SourceFile file, int documentIndex, FieldPath base, JsonNode networks,
      Settings settings, boolean reported) {
    return new Resource(file, documentIndex, base, null, API_VERSION, Kinds.MESH_NETWORKS, NAME,
        settings.istioNamespace(), (ObjectNode) networks, null, List.of(), reported);
  }
}
