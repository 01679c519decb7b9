package io.meshlint.core.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.meshlint.core.model.Resource;

/**
 * The Helm values a revision of Istio was installed with, as its sidecar injector ConfigMap
 * ({@code istio-sidecar-injector}, or {@code istio-sidecar-injector-REVISION}) keeps them in the
 * JSON of its {@code values} key.
 *
 * @param configMap the ConfigMap
 * @param values the parsed values; a missing node when absent or not JSON
 */
public record InjectorValues(Resource configMap, JsonNode values) {
  public static final String CONFIG_MAP_PREFIX = "istio-sidecar-injector";
  /** Made on first use: an ObjectMapper costs a noticeable part of a short run's start-up. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** The injector ConfigMap's name for a revision; {@code default} and no revision share the unsuffixed name. */
  public static String configMapName(String revision) {
    return revision == null || revision.isEmpty() || revision.equals("default")
        ? CONFIG_MAP_PREFIX : CONFIG_MAP_PREFIX + "-" + revision;
  }

  static InjectorValues of(Resource configMap) {
    String text = configMap.tree().path("data").path("values").asText("");
    JsonNode values;
    try {
      values = text.isEmpty() ? MissingNode.getInstance() : Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      values = MissingNode.getInstance();
    }
    return new InjectorValues(configMap, values == null ? MissingNode.getInstance() : values);
  }

  /**
   * The proxy image the injector adds: {@code global.proxy.image} when it names a repository (has a
   * {@code /}), else {@code HUB/IMAGE:TAG} from {@code global}, as Istio's injection template builds it.
   */
  public String proxyImage() {
    JsonNode global = values.path("global");
    String image = global.path("proxy").path("image").asText("");
    if (image.contains("/")) {
      return image;
    }
    return global.path("hub").asText("") + "/" + image + ":" + global.path("tag").asText("");
  }

  /** {@code sidecarInjectorWebhook.enableNamespacesByDefault}: inject namespaces that have no injection label. */
  public boolean enableNamespacesByDefault() {
    return values.path("sidecarInjectorWebhook").path("enableNamespacesByDefault").asBoolean(false);
  }
}
