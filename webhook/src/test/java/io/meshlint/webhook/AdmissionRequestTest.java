package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading AdmissionReview bodies as the API server sends them, and as it never should. */
class AdmissionRequestTest {
  private static AdmissionRequest read(String body) throws IOException {
    try (JsonParser p = Reviews.JSON.createParser(body)) {
      return AdmissionRequest.read(p, Reviews.JSON);
    }
  }

  @Test
  void readsWhatDecisionsNeedFromAnUpdate() throws IOException {
    String object = Reviews.virtualService("canary", "gw", "me.example.com");
    AdmissionRequest r = read(Reviews.review(AdmissionRequest.V1BETA1, "u-1", "UPDATE", object, object).toString());
    assertEquals(AdmissionRequest.V1BETA1, r.reviewApiVersion());
    assertEquals("u-1", r.uid());
    assertEquals("networking.istio.io", r.group());
    assertEquals("v1", r.version());
    assertEquals("VirtualService", r.kind());
    assertEquals("dev", r.namespace());
    assertEquals("canary", r.objectName());
    assertEquals("UPDATE", r.operation());
    assertEquals("gw", r.object().path("spec").path("gateways").path(0).asText());
    assertEquals("canary", r.oldObjectName());
  }

  @Test
  void fieldsMayComeInAnyOrderAndUnknownOnesAreSkipped() throws IOException {
    AdmissionRequest r = read("""
        {"request": {"dryRun": true, "extra": [1, {"a": null}], "oldObject": {"spec": {}, "metadata": {"labels": {},
           "name": "old-gw"}}, "operation": "DELETE", "kind": {"kind": "Gateway", "group": "networking.istio.io"},
           "uid": "u-2", "namespace": "dev"},
         "kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "more": "ignored"}""");
    assertTrue(r.dryRun());
    assertNull(r.object());
    assertEquals("old-gw", r.objectName(), "the name comes from the old object when the request has none");
    assertEquals("Gateway", r.kind());
  }

  @Test
  void saysWhatIsWrongWithABodyThatIsNotAReview() {
    assertBad("[1]", "body is not a JSON object");
    assertBad("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", "apiVersion must be");
    assertBad("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "has no request");
    assertBad(review("\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\""), "request.uid is missing");
    assertBad(review("\"uid\":\"x\",\"kind\":\"Pod\",\"operation\":\"DELETE\""), "request.kind is missing");
    assertBad(review("\"uid\":\"x\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"object\":\"nope\""),
        "request.object is not an object");
    assertBad(review("\"uid\":\"x\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\""),
        "request.object is missing for CREATE");
    assertBad(review("\"uid\":\"x\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"DELETE\",\"oldObject\":[1]"),
        "request.oldObject is not an object");
    assertBad(review("\"uid\":\"x\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"DELETE\"") + " {}",
        "more than one JSON value");
  }

  @Test
  void aTruncatedBodyIsNotJson() {
    String body = Reviews.review("CREATE", Reviews.virtualService("cut", "gw", "me.example.com")).toString();
    for (int cut : new int[] {1, body.length() / 2, body.length() - 1}) {
      assertThrows(JsonProcessingException.class, () -> read(body.substring(0, cut)), "cut at " + cut);
    }
  }

  private static String review(String requestFields) {
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{" + requestFields + "}}";
  }

  private static void assertBad(String body, String says) {
    AdmissionRequest.BadRequest e = assertThrows(AdmissionRequest.BadRequest.class, () -> read(body), body);
    assertTrue(e.getMessage().contains(says), e.getMessage() + " should say " + says);
  }
}
