package io.meshlint.core.rules.destinationrule;

import com.fasterxml.jackson.databind.JsonNode;

/** The test shared by IST0128 and IST0129: client TLS that originates TLS without a CA to verify the server. */
final class ServerCertificates {
  private ServerCertificates() {}

  /** The TLS mode when it is SIMPLE or MUTUAL and neither {@code caCertificates} nor {@code credentialName} is set, else null. */
  static String unverifiedMode(JsonNode tls) {
    String mode = tls.path("mode").asText();
    if (!mode.equals("SIMPLE") && !mode.equals("MUTUAL")) {
      return null;
    }
    boolean hasCa = !tls.path("caCertificates").asText().isEmpty() || !tls.path("credentialName").asText().isEmpty();
    return hasCa ? null : mode;
  }

  static String message(String dr, String namespace, String mode, String host) {
    return "DestinationRule " + namespace + "/" + dr + " in namespace " + namespace + " has TLS mode set to " + mode
        + " but no caCertificates are set to validate server identity for host: " + host;
  }
}
