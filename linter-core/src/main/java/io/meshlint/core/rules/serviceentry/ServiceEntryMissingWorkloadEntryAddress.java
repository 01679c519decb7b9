package io.meshlint.core.rules.serviceentry;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@RuleMeta(
    code = "MSH1051",
    name = "ServiceEntryMissingWorkloadEntryAddress",
    severity = Severity.WARNING,
    summary = "A ServiceEntry's addresses do not cover the address of a WorkloadEntry it selects.",
    description = """
        A ServiceEntry with a `workloadSelector` takes its endpoints from the WorkloadEntries of its \
        namespace whose `labels` match. When it also lists `addresses`, Istio captures traffic for \
        the service only when it goes to one of those addresses: clients that call a selected \
        WorkloadEntry (a VM) by its own IP, which is common while migrating, bypass the service's \
        routing, mTLS and policies and go out through the passthrough cluster (or are blocked under \
        `REGISTRY_ONLY`). Usually an address was left out when a VM was added.

        meshlint compares IP addresses and CIDR ranges; WorkloadEntries addressed by a DNS name \
        and ServiceEntries without `addresses` are not checked.

        Fix: add the WorkloadEntry's address (or a range covering it) to the ServiceEntry's \
        `addresses`, or fix the WorkloadEntry's labels if it was not meant to be selected.""",
    subjects = {Kinds.SERVICE_ENTRY},
    reads = {Kinds.WORKLOAD_ENTRY},
    aliases = {"KIA1201"})
public final class ServiceEntryMissingWorkloadEntryAddress implements Rule {

  @Override
  public void check(Resource se, RuleContext ctx) {
    JsonNode spec = se.tree().path("spec");
    Map<String, String> selector = Resource.stringMap(spec.path("workloadSelector").path("labels"));
    List<String> addresses = new ArrayList<>();
    spec.path("addresses").forEach(a -> addresses.add(a.asText()));
    if (selector.isEmpty() || addresses.isEmpty()) {
      return;
    }
    for (Resource we : ctx.mesh().workloadEntriesMatching(se.namespace(), selector)) {
      String address = we.tree().path("spec").path("address").asText("");
      BigInteger ip = ip(address);
      if (ip != null && addresses.stream().noneMatch(range -> covers(range, address, ip))) {
        ctx.report(FieldPath.of("spec", "addresses"), "The addresses do not cover " + address + ", the address of"
            + " WorkloadEntry " + we.namespace() + "/" + we.name() + " that this ServiceEntry selects");
      }
    }
  }

  private static boolean covers(String range, String address, BigInteger ip) {
    int slash = range.indexOf('/');
    BigInteger base = ip(slash < 0 ? range : range.substring(0, slash));
    if (base == null) {
      return false;
    }
    int bits = ipv6(address) ? 128 : 32;
    if (ipv6(range) != ipv6(address)) {
      return false;
    }
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(range.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    int shift = bits - Math.max(0, Math.min(bits, prefix));
    return base.shiftRight(shift).equals(ip.shiftRight(shift));
  }

  private static boolean ipv6(String address) {
    return address.contains(":");
  }

  /** The address as a number, or null when it is not an IP literal (never a DNS lookup). */
  private static BigInteger ip(String address) {
    if (ipv6(address)) {
      try {
        return new BigInteger(1, InetAddress.getByName(address).getAddress()); // a literal with ':' is never looked up
      } catch (java.io.IOException e) {
        return null;
      }
    }
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    long value = 0;
    for (String part : parts) {
      if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
        return null;
      }
      value = value * 256 + Integer.parseInt(part);
    }
    return BigInteger.valueOf(value);
  }
}
