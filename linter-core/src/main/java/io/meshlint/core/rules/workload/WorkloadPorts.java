package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** The ports a workload's containers declare, and how a Service port lands on them. */
public final class WorkloadPorts {
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private WorkloadPorts() {}

  /** Calls {@code action} with each port of each container (a gateway's {@code istio-proxy} included), with its path in the owner. */
  public static void forEachContainerPort(Workload w, BiConsumer<JsonNode, FieldPath> action) {
    Trees.forEach(w.podSpec().path("containers"), w.podSpecPath().key("containers"),
        (container, path) -> Trees.forEach(container.path("ports"), path.key("ports"), action));
  }

  /** True when some container declares a port. */
  public static boolean declaresPorts(Workload w) {
    boolean[] any = {false};
    forEachContainerPort(w, (port, path) -> any[0] = true);
    return any[0];
  }

  /** True when a container declares the port, by number or (for text) by name. */
  public static boolean exposes(Workload w, JsonNode targetPort) {
    boolean[] found = {false};
    forEachContainerPort(w, (port, path) -> found[0] |= targetPort.isTextual()
        ? targetPort.asText().equals(port.path("name").asText(null))
        : targetPort.asInt() == port.path("containerPort").asInt(-1));
    return found[0];
  }

  /** The Service port's {@code targetPort}, defaulting to its {@code port} as Kubernetes does; a number written as text is a number. */
  public static JsonNode targetPort(JsonNode servicePort) {
    JsonNode target = servicePort.path("targetPort");
    if (target.isMissingNode() || target.isNull()) {
      return servicePort.path("port");
    }
    return target.isTextual() && DIGITS.matcher(target.asText()).matches() ? IntNode.valueOf(target.asInt()) : target;
  }

  /** The container port number a Service port sends to on this workload; -1 when a named port is not declared. */
  public static int targetPortNumber(JsonNode servicePort, Workload w) {
    JsonNode target = targetPort(servicePort);
    if (!target.isTextual()) {
      return target.asInt(-1);
    }
    int[] number = {-1};
    forEachContainerPort(w, (port, path) -> {
      if (number[0] < 0 && target.asText().equals(port.path("name").asText(null))) {
        number[0] = port.path("containerPort").asInt(-1);
      }
    });
    return number[0];
  }
}
