package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MutatingWebhookConfigurations among the inputs, read as the API server applies them: whether
 * a pod would be injected, and by which revision of Istio's control plane. Only what the inputs say
 * counts: with no webhook configuration among them, nothing injects.
 */
public final class InjectionWebhooks {
  /** The kind as the index knows it. */
  public static final String KIND = "MutatingWebhookConfiguration.admissionregistration.k8s.io";
  public static final String REVISION_LABEL = "istio.io/rev";
  /** The label the API server puts on every namespace, which namespace selectors may use. */
  private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  /**
   * One webhook of a configuration.
   *
   * @param config the MutatingWebhookConfiguration
   * @param index its position in {@code webhooks}
   */
  public record Webhook(Resource config, int index, String name, LabelSelector namespaceSelector,
      LabelSelector objectSelector, JsonNode clientConfig) {

    public FieldPath path() {
      return FieldPath.of("webhooks", index);
    }

    /** Istio names its injection webhooks {@code *.sidecar-injector.istio.io}; Istio's analyzers test the suffix. */
    public boolean isIstios() {
      return name.endsWith("istio.io");
    }

    /** {@code config/webhook}, as Istio names a webhook in messages. */
    public String fullName() {
      return config.name() + "/" + name;
    }

    /** The control plane revision behind the webhook: its configuration's {@code istio.io/rev} label, else {@code default}. */
    public String revision() {
      String rev = config.labels().get(REVISION_LABEL);
      return rev == null || rev.isEmpty() ? "default" : rev;
    }

    /** True when the webhook is called for a pod with these labels in a namespace with these labels. */
    public boolean selects(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
      return namespaceSelector.matches(namespaceLabels) && objectSelector.matches(podLabels);
    }
  }

  private final Map<String, Resource> configs = new LinkedHashMap<>();
  private final Map<String, List<Webhook>> webhooksByConfig = new HashMap<>();
  private final List<Webhook> istio = new ArrayList<>();

  /** From the configurations among the inputs; one defined twice (by name) counts once. */
  public InjectionWebhooks(List<Resource> configurations) {
    for (Resource config : configurations) {
      if (configs.putIfAbsent(config.name(), config) != null) {
        continue;
      }
      List<Webhook> webhooks = new ArrayList<>();
      JsonNode list = config.tree().path("webhooks");
      for (int i = 0; i < list.size(); i++) {
        JsonNode w = list.path(i);
        Webhook webhook = new Webhook(config, i, w.path("name").asText(), LabelSelector.parse(w.get("namespaceSelector")),
            LabelSelector.parse(w.get("objectSelector")), w.path("clientConfig"));
        webhooks.add(webhook);
        if (webhook.isIstios()) {
          istio.add(webhook);
        }
      }
      webhooksByConfig.put(config.name(), webhooks);
    }
  }

  /** The configurations, one per name. */
  public List<Resource> configurations() {
    return List.copyOf(configs.values());
  }

  /** The webhooks of a configuration, or none when it is not the one counted under its name. */
  public List<Webhook> webhooks(Resource config) {
    return configs.get(config.name()) == config ? webhooksByConfig.get(config.name()) : List.of();
  }

  /** Istio's injection webhooks of every configuration. */
  public List<Webhook> istioWebhooks() {
    return istio;
  }

  /**
   * Istio's webhooks that would inject a pod with these labels created in this namespace (whose
   * labels are {@code namespaceLabels}, empty when the Namespace is not among the inputs).
   */
  public List<Webhook> injecting(String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels) {
    Map<String, String> nsLabels = namespaceLabels;
    if (namespace != null && !nsLabels.containsKey(NAMESPACE_NAME_LABEL)) {
      nsLabels = new HashMap<>(namespaceLabels);
      nsLabels.put(NAMESPACE_NAME_LABEL, namespace);
    }
    List<Webhook> out = new ArrayList<>();
    for (Webhook w : istio) {
      if (w.selects(nsLabels, podLabels)) {
        out.add(w);
      }
    }
    return out;
  }

  /** The revision that would inject the pod, or null when no Istio webhook selects it. */
  public String injectingRevision(String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels) {
    List<Webhook> webhooks = injecting(namespace, namespaceLabels, podLabels);
    return webhooks.isEmpty() ? null : webhooks.get(0).revision();
  }
}
