package io.meshlint.core.rules.gatewayapi;

/** CustomResourceDefinitions, as the index names them. */
final class GatewayCrds {
  static final String CRD = "CustomResourceDefinition.apiextensions.k8s.io";
  static final String BUNDLE_VERSION = "gateway.networking.k8s.io/bundle-version";

  private GatewayCrds() {}
}
