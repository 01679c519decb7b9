package io.meshlint.core.mesh;

/**
 * A Gateway server host, {@code [namespace/]host}: the namespace part says which namespaces'
 * VirtualServices may bind it ({@code *} any, the default; {@code .} the Gateway's own).
 */
public record GatewayHost(String namespace, String host) {
  public static GatewayHost parse(String value) {
    int slash = value.indexOf('/');
    return slash < 0 ? new GatewayHost("*", value) : new GatewayHost(value.substring(0, slash), value.substring(slash + 1));
  }

  /** True when a VirtualService in {@code vsNamespace} may bind this host of a Gateway in {@code gatewayNamespace}. */
  public boolean admits(String vsNamespace, String gatewayNamespace) {
    return namespace.equals("*") || namespace.equals(vsNamespace)
        || (namespace.equals(".") && vsNamespace.equals(gatewayNamespace));
  }
}
