package io.meshlint.core.mesh;

/**
 * A VirtualService's reference to a Gateway: {@code name} (the VirtualService's namespace),
 * {@code ns/name}, the legacy {@code name.ns.svc.cluster.local}, or the reserved {@code mesh}.
 */
public record GatewayRef(String namespace, String name) {
  public static final String MESH = "mesh";

  public static GatewayRef parse(String ref, String fromNamespace) {
    if (ref.equals(MESH)) {
      return new GatewayRef(null, MESH);
    }
    int slash = ref.indexOf('/');
    if (slash >= 0) {
      return new GatewayRef(ref.substring(0, slash), ref.substring(slash + 1));
    }
    int dot = ref.indexOf('.');
    if (dot >= 0) {
      String rest = ref.substring(dot + 1);
      int next = rest.indexOf('.');
      return new GatewayRef(next < 0 ? rest : rest.substring(0, next), ref.substring(0, dot));
    }
    return new GatewayRef(fromNamespace, ref);
  }

  public boolean isMesh() {
    return namespace == null && name.equals(MESH);
  }

  public String key() {
    return isMesh() ? MESH : namespace + "/" + name;
  }

  @Override
  public String toString() {
    return key();
  }
}
