package io.meshlint.cluster;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;

/** Which object a resource is in the cluster: API group, kind, namespace (null when cluster-scoped) and name. */
public record Identity(String group, String kind, String namespace, String name) {
  public static Identity of(Resource r) {
    return new Identity(r.group(), r.kind(), r.namespace(), r.name());
  }

  /** From the parts an admission request names; the namespace is dropped for cluster-scoped kinds. */
  public static Identity of(String group, String kind, String namespace, String name) {
    String ns = Kinds.isNamespaced(group, kind) && namespace != null && !namespace.isEmpty() ? namespace : null;
    return new Identity(group == null ? "" : group, kind, ns, name == null ? "" : name);
  }
}
