package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the MeshConfig: a file given by the user, or Istio's {@code istio} ConfigMap among the inputs. */
public final class MeshConfigs {
  private MeshConfigs() {}

  /** A bare MeshConfig document, or the {@code istio} ConfigMap that holds one under {@code data.mesh}. */
  public static MeshConfig fromFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("mesh config file not found: " + file);
    }
    JsonNode root = parse(SourceFile.ofPath(file, file.toString()).readText(), file.toString());
    if (root.path("kind").asText().equals(Kinds.CONFIG_MAP)) {
      JsonNode mesh = root.path("data").path("mesh");
      if (!mesh.isTextual()) {
        throw new ConfigException(file + ": ConfigMap has no data.mesh");
      }
      return MeshConfig.fromTree(parse(mesh.asText(), file + " (data.mesh)"));
    }
    return MeshConfig.fromTree(root);
  }

  /** The mesh config from the {@code istio} ConfigMap in Istio's namespace, or Istio's defaults. */
  public static MeshConfig fromResources(List<Resource> resources, Settings settings) {
    for (Resource r : resources) {
      if (r.kind().equals(Kinds.CONFIG_MAP) && r.name().equals("istio")
          && settings.istioNamespace().equals(r.namespace())) {
        JsonNode mesh = r.tree().path("data").path("mesh");
        if (mesh.isTextual()) {
          try {
            return MeshConfig.fromTree(parse(mesh.asText(), r.file().displayName()));
          } catch (ConfigException e) {
            return MeshConfig.DEFAULT;
          }
        }
      }
    }
    return MeshConfig.DEFAULT;
  }

  static JsonNode parse(String text, String name) {
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(text);
    if (!parsed.problems().isEmpty()) {
      YamlReader.Problem p = parsed.problems().get(0);
      throw new ConfigException(name + ":" + p.position().line() + ": " + p.message());
    }
    if (parsed.documents().isEmpty() || !parsed.documents().get(0).isObject()) {
      throw new ConfigException(name + ": expected a MeshConfig mapping");
    }
    return parsed.documents().get(0);
  }
}
