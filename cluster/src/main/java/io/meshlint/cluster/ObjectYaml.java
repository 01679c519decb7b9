package io.meshlint.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * An object read from the cluster as YAML text laid out as {@code kubectl get -o yaml} shows it:
 * keys sorted at every level, block style, lists not indented under their key, multi-line strings
 * as literal blocks, and {@code managedFields} left out (kubectl hides them too). So the line of a
 * finding is the line in {@code kubectl get KIND NAME -n NS -o yaml}.
 */
public final class ObjectYaml {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DumpSettings SETTINGS = DumpSettings.builder()
      .setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).setIndicatorIndent(0).setWidth(Integer.MAX_VALUE)
      .setSplitLines(false).build();
  /** Secret keys whose values are public (certificates), kept so that the TLS rules can check them. */
  private static final Set<String> PUBLIC_SECRET_KEYS = Set.of("tls.crt", "cert", "ca.crt", "cacert");
  private static final String REDACTED = "<redacted by meshlint>";

  private ObjectYaml() {}

  public static String of(GenericKubernetesResource object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    JsonNode tree = JSON.valueToTree(object);
    return new Dump(SETTINGS).dumpToString(plain(tree));
  }

  /**
   * Keeps a Secret's metadata, type and key names, the public certificates under the well-known
   * keys, and replaces every other value (private keys, passwords, tokens) by a marker, so that
   * no secret value enters a report, a baseline or memory beyond the read itself.
   */
  public static void redactSecret(GenericKubernetesResource secret) {
    Map<String, Object> props = secret.getAdditionalProperties();
    String marker = Base64.getEncoder().encodeToString(REDACTED.getBytes(StandardCharsets.UTF_8));
    redact(props.get("data"), marker);
    redact(props.get("stringData"), REDACTED);
    if (secret.getMetadata() != null && secret.getMetadata().getAnnotations() != null) {
      // kubectl apply keeps the whole object, data included, in this annotation.
      secret.getMetadata().getAnnotations().remove("kubectl.kubernetes.io/last-applied-configuration");
    }
  }

  @SuppressWarnings("unchecked")
  private static void redact(Object values, String marker) {
    if (values instanceof Map<?, ?> map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        if (!PUBLIC_SECRET_KEYS.contains(e.getKey())) {
          e.setValue(marker);
        }
      }
    }
  }

  /** Plain maps (sorted), lists and scalars for the YAML dumper; nulls are left out, as the API server does. */
  private static Object plain(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), plain(e.getValue()));
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(plain(n)));
      return list;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().bitLength() < 63 ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.asText();
  }
}
