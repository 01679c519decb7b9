package io.meshlint.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.InformerState;
import io.meshlint.core.rule.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything between the HTTP server and the decision: reads an AdmissionReview body, works out the
 * change, decides it, writes the answer, counts and logs it. Free of the server, so that benchmarks
 * measure it alone.
 */
final class Admission {
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build());

  private final Metrics metrics;

  Admission(Metrics metrics) {
    this.metrics = metrics;
  }

  /** What reading a body gives: an answer at once, or a review to decide. */
  sealed interface Step permits Reply, Review {}

  /** An HTTP status and the JSON body to send. */
  record Reply(int status, byte[] body) implements Step {}

  /**
   * A request read and its change worked out against the state a decision reads.
   *
   * @param quick true when deciding costs a fraction of a millisecond: it may run on the event loop
   */
  record Review(AdmissionRequest request, Decider decider, Decider.Change change, ClusterState state,
      Decider.Change pending, boolean quick, long start) implements Step {}

  /**
   * Reads {@code body} and works out its change against the prepared state plus what the informers
   * changed since ({@code informers} null in offline mode).
   *
   * @param start {@link System#nanoTime()} when the request arrived, for the latency it reports
   */
  Step read(byte[] body, Decider decider, InformerState.Versioned prepared, InformerState informers, long start) {
    AdmissionRequest request;
    try {
      if (body.length == 0) {
        throw new AdmissionRequest.BadRequest("body is empty");
      }
      try (JsonParser parser = JSON.createParser(body)) {
        request = AdmissionRequest.read(parser, JSON);
      }
    } catch (JsonProcessingException e) {
      return badRequest("body is not JSON: " + e.getOriginalMessage(), body.length);
    } catch (IOException e) {
      return badRequest("cannot read body: " + e.getMessage(), body.length);
    } catch (AdmissionRequest.BadRequest e) {
      return badRequest("not an AdmissionReview: " + e.getMessage(), body.length);
    }
    ClusterState state = prepared.state();
    Decider.Change pending = pending(informers, prepared.version());
    Decider.Change change = decider.excludes(request) ? Decider.Change.NONE : decider.change(request);
    return new Review(request, decider, change, state, pending, decider.isQuick(state, pending, change), start);
  }

  /** The changes the informers saw after the prepared state, which a decision applies on top of it. */
  private static Decider.Change pending(InformerState source, long since) {
    if (source == null) {
      return Decider.Change.NONE;
    }
    InformerState.Changes changes = source.changesSince(since);
    if (changes.changed().isEmpty()) {
      return Decider.Change.NONE;
    }
    return new Decider.Change(changes.current(), Set.copyOf(changes.changed()), List.of());
  }

  /** Decides the review and writes its AdmissionReview answer; counts and logs the decision. */
  Reply decide(Review review) {
    AdmissionRequest request = review.request();
    Decider.Outcome outcome = review.decider().decide(review.state(), review.pending(), request, review.change());
    Verdict verdict = verdict(request, outcome);
    byte[] body = write(g -> {
      g.writeStartObject();
      g.writeStringField("apiVersion", request.reviewApiVersion());
      g.writeStringField("kind", "AdmissionReview");
      g.writeObjectFieldStart("response");
      g.writeStringField("uid", request.uid());
      g.writeBooleanField("allowed", outcome.allowed());
      g.writeObjectFieldStart("status");
      g.writeNumberField("code", verdict.code());
      if (verdict.reason() != null) {
        g.writeStringField("reason", verdict.reason());
      }
      g.writeStringField("message", verdict.message());
      g.writeEndObject();
      g.writeArrayFieldStart("warnings");
      for (String w : Messages.warnings(outcome.warned())) {
        g.writeString(w);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    });

    long nanos = System.nanoTime() - review.start();
    metrics.request(request.operation(), request.kind(), verdict.decision(), nanos);
    for (Finding f : outcome.introduced()) {
      metrics.finding(f.rule().code(), review.decider().policy().of(f.rule().code()));
    }
    JsonLog.info("admission decision", l -> l.put("uid", request.uid()).put("operation", request.operation())
        .put("kind", request.kind()).put("namespace", request.namespace()).put("name", request.objectName())
        .put("dryRun", request.dryRun()).put("decision", verdict.decision())
        .put("codes", codes(outcome.introduced())).put("denied", codes(outcome.denied()))
        .put("ms", nanos / 1_000_000.0));
    return new Reply(200, body);
  }

  /** The answer's status, and the decision as metrics and logs name it: allow, warn, deny or skip. */
  private record Verdict(int code, String reason, String message, String decision) {}

  private static Verdict verdict(AdmissionRequest request, Decider.Outcome outcome) {
    if (!outcome.allowed()) {
      return new Verdict(403, "Forbidden", Messages.denial(outcome.denied()), "deny");
    }
    if (outcome.excluded()) {
      return new Verdict(200, null,
          "namespace " + request.effectiveNamespace() + " is excluded from meshlint's checks", "skip");
    }
    int warned = outcome.warned().size();
    if (warned == 0) {
      return new Verdict(200, null, "meshlint: the change introduces no finding", "allow");
    }
    return new Verdict(200, null, "meshlint: allowed with " + warned + " warning" + (warned == 1 ? "" : "s"), "warn");
  }

  private static Set<String> codes(List<Finding> findings) {
    Set<String> codes = new LinkedHashSet<>();
    findings.forEach(f -> codes.add(f.rule().code()));
    return codes;
  }

  /** A body that is not an AdmissionReview: 400, counted and logged. */
  Reply badRequest(String message, int length) {
    metrics.rejected("malformed");
    String cut = Messages.truncate(message, 300);
    JsonLog.warn("bad request", l -> l.put("status", 400).put("bytes", length).put("error", cut));
    return error(400, cut);
  }

  /** {@code {"code": ..., "error": ...}} with that HTTP status. */
  static Reply error(int code, String message) {
    return new Reply(code, write(g -> {
      g.writeStartObject();
      g.writeNumberField("code", code);
      g.writeStringField("error", message);
      g.writeEndObject();
    }));
  }

  /** {@code {"status": ...}}, as the probes answer. */
  static byte[] status(String status) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", status);
      g.writeEndObject();
    });
  }

  private interface Writing {
    void to(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Writing writing) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      writing.to(g);
    } catch (IOException e) {
      // Only a bug (an unbalanced object) gets here: the output is memory.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
