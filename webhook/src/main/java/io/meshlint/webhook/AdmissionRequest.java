package io.meshlint.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of an AdmissionReview's {@code request} the webhook reads.
 *
 * @param reviewApiVersion {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}: the answer uses the same
 * @param group the API group of the object ("" for the core group)
 * @param object the object after the change (CREATE, UPDATE), null for DELETE
 * @param oldObject the object before the change (UPDATE, DELETE), or null
 */
public record AdmissionRequest(String reviewApiVersion, String uid, String group, String version, String kind,
    String namespace, String name, String operation, String subResource, boolean dryRun, JsonNode object,
    JsonNode oldObject) {

  public static final String V1 = "admission.k8s.io/v1";
  public static final String V1BETA1 = "admission.k8s.io/v1beta1";

  /** The request that the body holds, or an exception whose message says what is wrong with it. */
  public static AdmissionRequest parse(JsonNode review) {
    if (review == null || !review.isObject()) {
      throw new BadRequest("body is not a JSON object");
    }
    String apiVersion = review.path("apiVersion").asText("");
    if (!apiVersion.equals(V1) && !apiVersion.equals(V1BETA1)) {
      throw new BadRequest("apiVersion must be " + V1 + " or " + V1BETA1 + ", found \"" + apiVersion + "\"");
    }
    if (!review.path("kind").asText("").equals("AdmissionReview")) {
      throw new BadRequest("kind must be AdmissionReview, found \"" + review.path("kind").asText("") + "\"");
    }
    JsonNode request = review.path("request");
    if (!request.isObject()) {
      throw new BadRequest("AdmissionReview has no request");
    }
    String uid = request.path("uid").asText("");
    if (!request.path("uid").isTextual() || uid.isEmpty()) {
      throw new BadRequest("request.uid is missing");
    }
    JsonNode kind = request.path("kind");
    if (!kind.isObject() || !kind.path("kind").isTextual()) {
      throw new BadRequest("request.kind is missing");
    }
    String operation = request.path("operation").asText("");
    if (operation.isEmpty()) {
      throw new BadRequest("request.operation is missing");
    }
    JsonNode object = objectOrNull(request.get("object"), "request.object");
    JsonNode oldObject = objectOrNull(request.get("oldObject"), "request.oldObject");
    if ((operation.equals("CREATE") || operation.equals("UPDATE")) && object == null) {
      throw new BadRequest("request.object is missing for " + operation);
    }
    return new AdmissionRequest(apiVersion, uid, kind.path("group").asText(""), kind.path("version").asText(""),
        kind.path("kind").asText(), request.path("namespace").asText(""), request.path("name").asText(""), operation,
        request.path("subResource").asText(""), request.path("dryRun").asBoolean(false), object, oldObject);
  }

  private static JsonNode objectOrNull(JsonNode node, String where) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (!node.isObject()) {
      throw new BadRequest(where + " is not an object");
    }
    return node;
  }

  /** The object's name: from the request, else from the object (the API server sends "" for generateName). */
  public String objectName() {
    if (!name.isEmpty()) {
      return name;
    }
    JsonNode source = object != null ? object : oldObject;
    return source == null ? "" : source.path("metadata").path("name").asText("");
  }

  /** The namespace the object lives in, for the exclusion list: the Namespace's own name for Namespaces. */
  public String effectiveNamespace() {
    if (group.isEmpty() && kind.equals("Namespace")) {
      return objectName();
    }
    return namespace;
  }

  /** An AdmissionReview body that the webhook cannot answer. */
  public static final class BadRequest extends RuntimeException {
    public BadRequest(String message) {
      super(message);
    }
  }
}
