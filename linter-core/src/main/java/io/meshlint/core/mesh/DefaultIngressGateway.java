package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code istioctl analyze} assumes when it sees only files: Istio's default ingress gateway
 * (a Service and a workload labelled {@code istio: ingressgateway} in {@code istio-system}) exists
 * unless the inputs define their own. The CLI and the webhook assume it the same way.
 */
public final class DefaultIngressGateway {
  private static final String RESOURCE = "/io/meshlint/core/default-ingress-gateway.yaml";
  private static final String SOURCE = "<built-in default ingress gateway>";

  private DefaultIngressGateway() {}

  /** The assumed Service and Pod, read with {@code loader} as context (never reported). */
  public static List<Resource> load(Loader loader) {
    try (InputStream in = DefaultIngressGateway.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      SourceFile file = SourceFile.ofText(SOURCE,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return loader.load(List.of(file), false).resources();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True for the assumed Service and Pod themselves. */
  public static boolean isAssumed(Resource r) {
    return r.file().displayName().equals(SOURCE);
  }

  /** True for a Pod or a pod template labelled {@code istio: ingressgateway}: the inputs' own gateway. */
  public static boolean standsIn(Resource r) {
    return "ingressgateway".equals(r.labels().get("istio"))
        || "ingressgateway".equals(r.tree().path("spec").path("template").path("metadata").path("labels")
            .path("istio").asText(null));
  }

  /** {@code resources}, plus {@code defaults} unless some resource stands in for them. */
  public static List<Resource> addUnlessDefined(List<Resource> resources, List<Resource> defaults) {
    if (defaults.isEmpty() || resources.stream().anyMatch(DefaultIngressGateway::standsIn)) {
      return resources;
    }
    List<Resource> all = new ArrayList<>(resources);
    all.addAll(defaults);
    return all;
  }
}
