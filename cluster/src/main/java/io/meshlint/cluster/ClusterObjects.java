package io.meshlint.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.meshlint.core.source.SourceFile;
import java.util.Map;

/**
 * Objects read from a cluster as in-memory sources named after where they live
 * ({@code cluster:networking.istio.io/v1/VirtualService/dev/vs}), whose text is the object's YAML
 * as {@code kubectl get -o yaml} shows it (see {@link ObjectYaml}).
 */
public final class ClusterObjects {
  /** Names the source of objects read from the cluster. */
  public static final String PREFIX = "cluster:";

  /** One object read from the cluster; {@code namespace} is null for cluster-scoped kinds. */
  public record ClusterObject(String group, String kind, String namespace, String name, SourceFile source) {
    public String key() {
      return ClusterObjects.key(group, kind, namespace, name);
    }
  }

  private ClusterObjects() {}

  /**
   * The object as a source; null for an object the rules never look at (a CRD of another project).
   * Sets the object's apiVersion and kind (lists leave them out), drops its managedFields, and
   * redacts it when it is a Secret (in place: the caller holds no secret value afterwards).
   */
  public static ClusterObject toObject(ResourceDefinitionContext kind, GenericKubernetesResource item) {
    String apiVersion = kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion();
    item.setApiVersion(apiVersion);
    item.setKind(kind.getKind());
    if (!relevant(kind, item)) {
      return null;
    }
    redactIfSecret(kind, item);
    String namespace = kind.isNamespaceScoped() ? item.getMetadata().getNamespace() : null;
    String name = item.getMetadata().getName();
    String display = PREFIX + apiVersion + "/" + kind.getKind() + "/" + (namespace == null ? "" : namespace + "/") + name;
    SourceFile source = SourceFile.ofText(display, ObjectYaml.of(item));
    return new ClusterObject(kind.getGroup(), kind.getKind(), namespace, name, source);
  }

  /** False for a CustomResourceDefinition outside the groups the rules look at. */
  public static boolean relevant(ResourceDefinitionContext kind, GenericKubernetesResource item) {
    if (!"CustomResourceDefinition".equals(kind.getKind())) {
      return true;
    }
    Object spec = item.getAdditionalProperties().get("spec");
    Object group = spec instanceof Map<?, ?> m ? m.get("group") : null;
    return group instanceof String g && relevantCrdGroup(g);
  }

  /** Redacts {@code item} in place when {@code kind} is Secret: see {@link ObjectYaml#redactSecret}. */
  public static void redactIfSecret(ResourceDefinitionContext kind, GenericKubernetesResource item) {
    if (ClusterKinds.isSecret(kind)) {
      ObjectYaml.redactSecret(item);
    }
  }

  /** Groups whose CustomResourceDefinitions the rules look at; other CRDs are not read into the run. */
  static boolean relevantCrdGroup(String group) {
    return group.endsWith("istio.io") || group.endsWith("gateway.networking.k8s.io")
        || group.endsWith("gateway.networking.x-k8s.io");
  }

  /** The identity of an object across sources: group, kind, namespace (empty when cluster-scoped) and name. */
  public static String key(String group, String kind, String namespace, String name) {
    return group + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }
}
