package io.meshlint.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** AdmissionReview bodies shaped as the API server sends them. */
final class Reviews {
  static final ObjectMapper JSON = new ObjectMapper();

  private Reviews() {}

  static final String GATEWAY = """
      {"apiVersion":"networking.istio.io/v1alpha3","kind":"Gateway",
       "metadata":{"name":"calcapps-dev-gateway","namespace":"dev","uid":"8f0c7a8e-1111-4c1e-9a55-000000000001",
         "resourceVersion":"1001","generation":1,"creationTimestamp":"2025-01-01T00:00:00Z"},
       "spec":{"selector":{"istio":"ingressgateway"},
         "servers":[{"port":{"number":80,"name":"http","protocol":"HTTP"},"hosts":["me.example.com"]}]}}""";

  /** A VirtualService in {@code dev} bound to {@code gateway}, serving {@code host}, routing to the app's Service. */
  static String virtualService(String name, String gateway, String host) {
    return """
        {"apiVersion":"networking.istio.io/v1","kind":"VirtualService",
         "metadata":{"name":"%s","namespace":"dev","generation":1,"creationTimestamp":"2025-01-02T00:00:00Z",
           "uid":"%s",
           "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update",
             "apiVersion":"networking.istio.io/v1","time":"2025-01-02T00:00:00Z","fieldsType":"FieldsV1",
             "fieldsV1":{"f:spec":{".":{},"f:hosts":{}}}}]},
         "spec":{"hosts":["%s"],"gateways":["%s"],
           "http":[{"route":[{"destination":{"host":"calcfrontendsvc","port":{"number":80}}}]}]}}"""
        .formatted(name, UUID.randomUUID(), host, gateway);
  }

  /** The review for {@code operation} on {@code object} (and {@code oldObject}), in {@code apiVersion}. */
  static ObjectNode review(String apiVersion, String uid, String operation, String object, String oldObject) {
    JsonNode obj = object == null ? null : parse(object);
    JsonNode old = oldObject == null ? null : parse(oldObject);
    JsonNode any = obj != null ? obj : old;
    String apiV = any.path("apiVersion").asText();
    String group = apiV.contains("/") ? apiV.substring(0, apiV.indexOf('/')) : "";
    String version = apiV.substring(apiV.indexOf('/') + 1);
    String kind = any.path("kind").asText();
    String plural = kind.toLowerCase() + "s";
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", apiVersion);
    review.put("kind", "AdmissionReview");
    ObjectNode req = review.putObject("request");
    req.put("uid", uid);
    req.putObject("kind").put("group", group).put("version", version).put("kind", kind);
    req.putObject("resource").put("group", group).put("version", version).put("resource", plural);
    req.putObject("requestKind").put("group", group).put("version", version).put("kind", kind);
    req.putObject("requestResource").put("group", group).put("version", version).put("resource", plural);
    req.put("name", any.path("metadata").path("name").asText());
    req.put("namespace", any.path("metadata").path("namespace").asText());
    req.put("operation", operation);
    ObjectNode user = req.putObject("userInfo");
    user.put("username", "alice@example.com").put("uid", "a1");
    user.putArray("groups").add("system:authenticated");
    req.set("object", obj == null ? JSON.nullNode() : obj);
    req.set("oldObject", old == null ? JSON.nullNode() : old);
    req.put("dryRun", false);
    ObjectNode options = req.putObject("options");
    options.put("apiVersion", "meta.k8s.io/v1");
    options.put("kind", operation.equals("DELETE") ? "DeleteOptions" : operation.equals("CREATE") ? "CreateOptions" : "UpdateOptions");
    return review;
  }

  static ObjectNode review(String operation, String object) {
    return review(AdmissionRequest.V1, UUID.randomUUID().toString(), operation, object, null);
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
