package io.meshlint.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The parts of an AdmissionReview's {@code request} the webhook reads.
 *
 * @param reviewApiVersion {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}: the answer uses the same
 * @param group the API group of the object ("" for the core group)
 * @param object the object after the change (CREATE, UPDATE), null for DELETE
 * @param oldObjectName the name in the object before the change (UPDATE, DELETE), or ""
 */
public record AdmissionRequest(String reviewApiVersion, String uid, String group, String version, String kind,
    String namespace, String name, String operation, String subResource, boolean dryRun, JsonNode object,
    String oldObjectName) {

  public static final String V1 = "admission.k8s.io/v1";
  public static final String V1BETA1 = "admission.k8s.io/v1beta1";

  /**
   * The request that the body holds, or an exception whose message says what is wrong with it.
   * Only the object under review becomes a tree; the rest is read as it streams by, and the old
   * object (as large as the new one for an UPDATE, and never checked) is skipped but for its name.
   *
   * @throws IOException when the body is not JSON
   */
  public static AdmissionRequest read(JsonParser p, ObjectMapper mapper) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new BadRequest("body is not a JSON object");
    }
    String apiVersion = "";
    String kind = "";
    Request request = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "apiVersion" -> apiVersion = text(p, value);
        case "kind" -> kind = text(p, value);
        case "request" -> {
          if (value == JsonToken.START_OBJECT) {
            request = readRequest(p, mapper);
          } else {
            p.skipChildren();
            request = null;
          }
        }
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw new BadRequest("more than one JSON value in the body");
    }
    if (!apiVersion.equals(V1) && !apiVersion.equals(V1BETA1)) {
      throw new BadRequest("apiVersion must be " + V1 + " or " + V1BETA1 + ", found \"" + apiVersion + "\"");
    }
    if (!kind.equals("AdmissionReview")) {
      throw new BadRequest("kind must be AdmissionReview, found \"" + kind + "\"");
    }
    if (request == null) {
      throw new BadRequest("AdmissionReview has no request");
    }
    return request.check(apiVersion);
  }

  /** The fields of {@code request} as they are read, in whatever order they come. */
  private static final class Request {
    String uid;
    String group = "";
    String version = "";
    String kind;
    String namespace = "";
    String name = "";
    String operation = "";
    String subResource = "";
    boolean dryRun;
    JsonNode object;
    boolean objectGiven;
    String oldObjectName = "";
    boolean oldObjectNotAnObject;

    AdmissionRequest check(String apiVersion) {
      if (uid == null || uid.isEmpty()) {
        throw new BadRequest("request.uid is missing");
      }
      if (kind == null) {
        throw new BadRequest("request.kind is missing");
      }
      if (operation.isEmpty()) {
        throw new BadRequest("request.operation is missing");
      }
      if (objectGiven && object == null) {
        throw new BadRequest("request.object is not an object");
      }
      if (oldObjectNotAnObject) {
        throw new BadRequest("request.oldObject is not an object");
      }
      if ((operation.equals("CREATE") || operation.equals("UPDATE")) && object == null) {
        throw new BadRequest("request.object is missing for " + operation);
      }
      return new AdmissionRequest(apiVersion, uid, group, version, kind, namespace, name, operation, subResource,
          dryRun, object, oldObjectName);
    }
  }

  private static Request readRequest(JsonParser p, ObjectMapper mapper) throws IOException {
    Request r = new Request();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "uid" -> r.uid = value == JsonToken.VALUE_STRING ? p.getText() : null;
        case "kind" -> readKind(p, value, r);
        case "namespace" -> r.namespace = text(p, value);
        case "name" -> r.name = text(p, value);
        case "operation" -> r.operation = text(p, value);
        case "subResource" -> r.subResource = text(p, value);
        case "dryRun" -> r.dryRun = value == JsonToken.VALUE_TRUE
            || (value == JsonToken.VALUE_STRING && p.getText().trim().equals("true"));
        case "object" -> {
          r.objectGiven = value != JsonToken.VALUE_NULL;
          r.object = value == JsonToken.START_OBJECT ? mapper.readTree(p) : null;
          if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
          }
        }
        case "oldObject" -> {
          r.oldObjectNotAnObject = value != JsonToken.VALUE_NULL && value != JsonToken.START_OBJECT;
          r.oldObjectName = value == JsonToken.START_OBJECT ? metadataName(p) : "";
          if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return r;
  }

  /** {@code request.kind}: an object whose {@code kind} is a string. */
  private static void readKind(JsonParser p, JsonToken value, Request r) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String group = "";
    String version = "";
    String kind = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "group" -> group = text(p, v);
        case "version" -> version = text(p, v);
        case "kind" -> kind = v == JsonToken.VALUE_STRING ? p.getText() : null;
        default -> p.skipChildren();
      }
    }
    r.group = group;
    r.version = version;
    r.kind = kind;
  }

  /** {@code metadata.name} of the object the parser is at the start of, reading past the object's end. */
  private static String metadataName(JsonParser p) throws IOException {
    String name = "";
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
        for (JsonToken m = p.nextToken(); m == JsonToken.FIELD_NAME; m = p.nextToken()) {
          String metaField = p.currentName();
          JsonToken v = p.nextToken();
          if (metaField.equals("name")) {
            name = text(p, v);
          }
          p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    return name;
  }

  /** The value as text, as Jackson's {@code asText("")} reads scalars; "" for objects, arrays and null. */
  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      p.skipChildren();
      return "";
    }
    return value == JsonToken.VALUE_NULL ? "" : p.getText();
  }

  /** The object's name: from the request, else from the object (the API server sends "" for generateName). */
  public String objectName() {
    if (!name.isEmpty()) {
      return name;
    }
    if (object != null) {
      return object.path("metadata").path("name").asText("");
    }
    return oldObjectName;
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
