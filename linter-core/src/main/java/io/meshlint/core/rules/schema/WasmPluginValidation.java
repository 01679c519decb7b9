package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Istio's WasmPlugin validation (the webhook's and the CRD's), for {@link SchemaValidationError}. */
final class WasmPluginValidation {
  private WasmPluginValidation() {}

  private static final Set<String> URL_SCHEMES = Set.of("", "file", "http", "https", "oci");
  private static final int MAX_TARGET_REFS = 16;
  private static final int MAX_ENV = 256;
  private static final int MAX_ENV_VALUE = 2048;

  static void check(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.policyTargets(spec, at, true, out);
    JsonNode targetRefs = spec.path("targetRefs");
    if (targetRefs.isArray() && targetRefs.size() > MAX_TARGET_REFS) {
      out.report(at.key("targetRefs"), "targetRefs must have at most " + MAX_TARGET_REFS + " items");
    }
    url(spec, at, out);
    JsonNode sha = spec.path("sha256");
    if (sha.isTextual() && !sha.asText().isEmpty()) {
      if (sha.asText().length() != 64) {
        out.report(at.key("sha256"), "sha256 field must be 64 characters long");
      } else if (!sha.asText().matches("[a-f0-9]{64}")) {
        out.report(at.key("sha256"), "sha256 field must match [a-f0-9]{64} pattern");
      }
    }
    length(spec, "imagePullSecret", 253, "imagePullSecret field must be less than 253 characters long", at, out);
    // Istio's message says 255, its check and the CRD allow 256.
    length(spec, "pluginName", 256, "pluginName field must be less than 255 characters long", at, out);
    JsonNode config = spec.path("pluginConfig");
    if (!config.isMissingNode() && !config.isNull() && !config.isObject()) {
      out.report(at.key("pluginConfig"), "pluginConfig must be an object (google.protobuf.Struct)");
    }
    env(spec.path("vmConfig").path("env"), at.then("vmConfig.env"), out);
    match(spec.path("match"), at.key("match"), out);
  }

  /** A URL with a scheme Istio fetches from; without one, an OCI image. */
  private static void url(JsonNode spec, FieldPath at, SchemaFindings out) {
    JsonNode url = spec.path("url");
    if (!url.isTextual()) {
      if (url.isMissingNode() || url.isNull()) {
        out.report(at, "url field needs to be set");
      }
      return;
    }
    String value = url.asText();
    FieldPath path = at.key("url");
    if (value.isEmpty()) {
      out.report(path, "url field needs to be set");
      return;
    }
    String parseProblem = parseProblem(value);
    if (parseProblem != null) {
      out.report(path, "failed to parse url: parse \"" + value + "\": " + parseProblem);
      return;
    }
    String scheme = scheme(value).toLowerCase(Locale.ROOT);
    if (!URL_SCHEMES.contains(scheme)) {
      out.report(path, "url contains unsupported scheme: " + scheme);
    }
  }

  /**
   * The scheme as Go's URL parser reads it: letters, then letters, digits, {@code +-.}, up to the
   * first colon; so {@code registry.local:5000/plugin} has the scheme {@code registry.local}.
   */
  private static String scheme(String url) {
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          return "";
        }
        continue;
      }
      return c == ':' ? url.substring(0, i) : "";
    }
    return "";
  }

  /** What Go's URL parser rejects in any URL, or null: control characters, bad escapes, a missing scheme before a colon. */
  private static String parseProblem(String url) {
    if (url.startsWith(":")) {
      return "missing protocol scheme";
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "net/url: invalid control character in URL";
      }
      if (c == '%' && (i + 2 >= url.length() || !isHex(url.charAt(i + 1)) || !isHex(url.charAt(i + 2)))) {
        return "invalid URL escape \"" + url.substring(i, Math.min(url.length(), i + 3)) + "\"";
      }
    }
    return null;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /** A string field that, when present, is neither empty (the CRD's minimum) nor longer than {@code max}. */
  private static void length(JsonNode spec, String field, int max, String tooLong, FieldPath at, SchemaFindings out) {
    JsonNode value = spec.path(field);
    if (!value.isTextual()) {
      return;
    }
    if (value.asText().isEmpty()) {
      out.report(at.key(field), field + " in body should be at least 1 chars long");
    } else if (value.asText().length() > max) {
      out.report(at.key(field), tooLong);
    }
  }

  private static void env(JsonNode env, FieldPath path, SchemaFindings out) {
    if (env.isArray() && env.size() > MAX_ENV) {
      out.report(path, "env must have at most " + MAX_ENV + " items");
    }
    Set<String> names = new HashSet<>();
    Trees.forEach(env, path, (variable, vPath) -> {
      JsonNode name = variable.path("name");
      if (!name.isTextual() || name.asText().isEmpty()) {
        out.report(name.isMissingNode() ? vPath : vPath.key("name"), "spec.vmConfig.env invalid: env.name must be set");
      } else if (name.asText().length() > 256) {
        out.report(vPath.key("name"), "env.name field must be less than 255 characters long");
      } else if (!names.add(name.asText())) {
        out.report(vPath.key("name"), "duplicate env " + name.asText());
      }
      JsonNode from = variable.path("valueFrom");
      boolean host = from.asText("").equals("HOST") || (from.isIntegralNumber() && from.asInt() == 1);
      JsonNode value = variable.path("value");
      if (host && value.isTextual() && !value.asText().isEmpty()) {
        out.report(vPath.key("value"), "value may only be set when valueFrom is INLINE");
      } else if (value.isTextual() && value.asText().length() > MAX_ENV_VALUE) {
        out.report(vPath.key("value"), "env.value must be at most " + MAX_ENV_VALUE + " characters long");
      }
    });
  }

  /** Traffic selector ports: each with a number in 1..65535, no number twice (the CRD keys them by number). */
  private static void match(JsonNode match, FieldPath path, SchemaFindings out) {
    for (int s = 0; match.isArray() && s < match.size(); s++) {
      JsonNode ports = match.get(s).path("ports");
      Set<Long> numbers = new HashSet<>();
      for (int p = 0; ports.isArray() && p < ports.size(); p++) {
        FieldPath portPath = path.index(s).key("ports").index(p);
        JsonNode number = ports.get(p).path("number");
        if (number.isMissingNode() || number.isNull() || (number.isIntegralNumber() && number.asLong() == 0)) {
          out.report(portPath, "spec.Match[" + s + "].Ports[" + p + "] is out of range: 0; a number is required");
        } else if (number.isIntegralNumber() && (number.asLong() < 0 || number.asLong() > 65535)) {
          out.report(portPath.key("number"), "spec.Match[" + s + "].Ports[" + p + "] is out of range: " + number.asLong());
        } else if (number.isIntegralNumber() && !numbers.add(number.asLong())) {
          out.report(portPath.key("number"), "duplicate port number " + number.asLong() + " in spec.Match[" + s + "].Ports");
        }
      }
    }
  }
}
