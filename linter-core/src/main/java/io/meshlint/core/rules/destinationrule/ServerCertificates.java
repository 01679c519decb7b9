package io.meshlint.core.rules.destinationrule;

import com.fasterxml.jackson.databind.JsonNode;

/** The test shared by IST0128 and IST0129: client TLS that originates TLS without a CA to verify the server. */
final class ServerCertificates {
  private ServerCertificates() {}

  /**
   * The TLS mode when it is SIMPLE or MUTUAL and no CA is given, else null. {@code credentialName}
   * gives one only where the DestinationRule has a {@code workloadSelector}: without one, sidecars
   * ignore it (it applies at gateways only) and use {@code caCertificates}.
   */
  static String unverifiedMode(JsonNode tls, JsonNode dr) {
    String mode = tls.path("mode").asText();
    if (!mode.equals("SIMPLE") && !mode.equals("MUTUAL")) {
      return null;
    }
    boolean credential = !tls.path("credentialName").asText().isEmpty()
        && dr.path("spec").path("workloadSelector").isObject();
    return !tls.path("caCertificates").asText().isEmpty() || credential ? null : mode;
  }

  static String message(String dr, String namespace, String mode, String host) {
    return "DestinationRule " + namespace + "/" + dr + " in namespace " + namespace + " has TLS mode set to " + mode
        + " but no caCertificates are set to validate server identity for host: " + host;
  }
}
