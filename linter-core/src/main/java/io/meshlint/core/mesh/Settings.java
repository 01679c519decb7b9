package io.meshlint.core.mesh;

import java.util.Set;

/**
 * What the rules assume about the cluster beyond the inputs.
 *
 * @param defaultNamespace namespace of resources whose YAML names none
 * @param clusterDomain Kubernetes DNS domain of Services
 * @param istioNamespace where Istio's control plane and default gateway live
 * @param assumeDefaultIngressGateway act as {@code istioctl analyze} on files: Istio's default ingress
 *     gateway exists unless the inputs define a workload labelled {@code istio: ingressgateway}
 * @param systemNamespaces namespaces the injection rules skip
 */
public record Settings(String defaultNamespace, String clusterDomain, String istioNamespace,
    boolean assumeDefaultIngressGateway, Set<String> systemNamespaces) {

  /** Istio's own list of system namespaces, plus its control plane namespace. */
  public static final Set<String> ISTIO_SYSTEM_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage", "istio-system");

  public static final Settings DEFAULT =
      new Settings("default", "cluster.local", "istio-system", true, ISTIO_SYSTEM_NAMESPACES);

  public Settings withDefaultNamespace(String namespace) {
    return new Settings(namespace, clusterDomain, istioNamespace, assumeDefaultIngressGateway, systemNamespaces);
  }

  public Settings withAssumeDefaultIngressGateway(boolean assume) {
    return new Settings(defaultNamespace, clusterDomain, istioNamespace, assume, systemNamespaces);
  }

  public Settings withSystemNamespaces(Set<String> namespaces) {
    return new Settings(defaultNamespace, clusterDomain, istioNamespace, assumeDefaultIngressGateway, namespaces);
  }
}
