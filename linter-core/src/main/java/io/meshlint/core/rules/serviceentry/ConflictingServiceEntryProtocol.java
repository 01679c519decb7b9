package io.meshlint.core.rules.serviceentry;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

@RuleMeta(
    code = "IST0177",
    name = "ConflictingServiceEntryProtocol",
    severity = Severity.WARNING,
    summary = "ServiceEntries visible in the same namespaces declare the same host and port with different protocols.",
    description = """
        A sidecar builds one listener for a host and port. When two ServiceEntries declare the \
        same host and port number with different protocols (for example HTTPS and HTTP, or TCP \
        and an unset protocol), only one of them wins, and which one depends on the order istiod \
        sees them: traffic may be sniffed as the wrong protocol or fall through to a catch-all \
        filter chain.

        meshlint reports, as `istioctl analyze` does, every ServiceEntry that shares a host (as \
        written) and port number with another ServiceEntry of a different protocol (compared \
        case-insensitively, an unset protocol counting as one) when their `exportTo` scopes \
        overlap; each ServiceEntry is reported once, on its name. The wording of the message is \
        meshlint's.

        Fix: declare each host and port once, with one protocol, or keep the entries' `exportTo` \
        apart.""",
    subjects = {Kinds.SERVICE_ENTRY})
public final class ConflictingServiceEntryProtocol implements Rule {
  @Override
  public void check(Resource entry, RuleContext ctx) {
    JsonNode spec = entry.tree().path("spec");
    Set<String> scopes = scopes(entry);
    for (JsonNode hostNode : spec.path("hosts")) {
      String host = hostNode.asText();
      for (JsonNode port : spec.path("ports")) {
        int number = port.path("number").asInt(-1);
        Set<String> names = new TreeSet<>();
        Set<String> protocols = new TreeSet<>();
        for (Resource other : ctx.mesh().serviceEntriesListing(host)) {
          if (!overlap(scopes, scopes(other))) {
            continue;
          }
          for (JsonNode otherPort : other.tree().path("spec").path("ports")) {
            if (otherPort.path("number").asInt(-2) == number) {
              names.add(other.namespace() + "/" + other.name());
              protocols.add(otherPort.path("protocol").asText("").toUpperCase(Locale.ROOT));
            }
          }
        }
        if (protocols.size() > 1) {
          ctx.report(FieldPath.of("metadata", "name"), "The ServiceEntries " + String.join(", ", names)
              + " define host " + host + " port " + number + " with different protocols: "
              + String.join(", ", protocols) + ".");
          return;
        }
      }
    }
  }

  /** The namespaces an entry is visible in, {@code *} for all. */
  private static Set<String> scopes(Resource entry) {
    Set<String> out = new HashSet<>();
    JsonNode exportTo = entry.tree().path("spec").path("exportTo");
    if (!exportTo.isArray() || exportTo.isEmpty()) {
      return Set.of("*");
    }
    for (JsonNode e : exportTo) {
      String to = e.asText();
      if (to.equals("*")) {
        return Set.of("*");
      }
      out.add(to.equals(".") ? entry.namespace() : to);
    }
    return out;
  }

  private static boolean overlap(Set<String> a, Set<String> b) {
    if (a.contains("*") || b.contains("*")) {
      return true;
    }
    for (String ns : a) {
      if (b.contains(ns)) {
        return true;
      }
    }
    return false;
  }
}
