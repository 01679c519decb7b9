package io.meshlint.core.rules.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Istio's injection and validation webhooks, whose {@code clientConfig.url} points at an external
 * control plane in a remote cluster.
 */
final class ExternalControlPlaneWebhooks {
  static final String MUTATING = "MutatingWebhookConfiguration.admissionregistration.k8s.io";
  static final String VALIDATING = "ValidatingWebhookConfiguration.admissionregistration.k8s.io";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ExternalControlPlaneWebhooks() {}

  /** True for Istio's own webhook configurations, as Istio's charts name them. */
  static boolean isIstios(Resource config) {
    String name = config.name();
    return config.kind().equals("MutatingWebhookConfiguration")
        ? name.startsWith("istio-sidecar-injector")
        : name.equals("istiod-default-validator") || name.startsWith("istio-validator");
  }

  /** Calls {@code action} with each webhook of the configuration and its path. */
  static void forEachWebhook(Resource config, BiConsumer<JsonNode, FieldPath> action) {
    Trees.forEach(config.tree().path("webhooks"), FieldPath.of("webhooks"), action);
  }

  /** The host of a webhook URL, or null when the URL cannot be parsed or names no host. */
  static String host(String url) {
    try {
      URI uri = new URI(url);
      return uri.getHost();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  static boolean isIpAddress(String host) {
    return IPV4.matcher(host).matches() || host.startsWith("[");
  }
}
