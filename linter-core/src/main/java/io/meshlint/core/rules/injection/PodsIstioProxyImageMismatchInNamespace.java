package io.meshlint.core.rules.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.InjectorValues;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.List;

@RuleMeta(
    code = "IST0158",
    name = "PodsIstioProxyImageMismatchInNamespace",
    severity = Severity.WARNING,
    summary = "Pods of an injected namespace run another proxy image than the injector now adds.",
    description = """
        The sidecar is injected when a pod is created, so after an upgrade of the control plane \
        the pods created before it keep the old proxy: they miss fixes, and a proxy too far from \
        istiod's version may not work with it at all.

        meshlint reports, as `istioctl analyze` does, a Namespace among the inputs labelled \
        `istio-injection=enabled` or `istio.io/rev=REVISION` when some of its pods have an \
        `istio-proxy` container whose image differs from the one the sidecar injector ConfigMap \
        of that revision (`istio-sidecar-injector`, or `istio-sidecar-injector-REVISION`, among \
        the inputs) adds: `global.proxy.image` when it is a full image name, else \
        `global.hub/global.proxy.image:global.tag` from its `values`, both also in the variant \
        `IMAGE-TYPE` (such as `-distroless`) of the image type the workload is injected with \
        (`image.imageType` of the mesh config's `defaultConfig`, a ProxyConfig of the root \
        namespace, of the pod's namespace, one selecting the pod, or the annotation \
        `proxy.istio.io/config`, the later winning). Containers and init containers (native \
        sidecars) are compared. Pods that choose their image with the annotation \
        `sidecar.istio.io/proxyImage` are skipped. Unlike `istioctl analyze`, which looks at Pods \
        only, meshlint also counts pod templates that carry an `istio-proxy` container with a real \
        image (manifests injected with `istioctl kube-inject`, not the `image: auto` \
        placeholder): a deliberate improvement, since the manifests are what will be deployed.

        Fix: restart the workloads (`kubectl rollout restart deployment -n NAMESPACE`) so that \
        their pods are injected again, or inject the manifests again with the new `istioctl`.""",
    subjects = {Kinds.NAMESPACE},
    reads = {Kinds.CONFIG_MAP, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB, Kinds.PROXY_CONFIG})
public final class PodsIstioProxyImageMismatchInNamespace implements Rule {
  private static final String PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";

  @Override
  public void check(Resource ns, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    boolean hasRevision = ns.labels().containsKey(Injection.REVISION_LABEL);
    if (!hasRevision && !Injection.ENABLED.equals(ns.labels().get(Injection.NAMESPACE_LABEL))) {
      return;
    }
    // A revision label picks the injector even beside istio-injection, as Istio's analyzer reads it.
    InjectorValues injector = mesh.injectorValues(hasRevision ? ns.labels().get(Injection.REVISION_LABEL) : null);
    if (injector == null) {
      return;
    }
    String image = injector.proxyImage();
    List<String> mismatched = new ArrayList<>();
    for (Workload w : mesh.workloads(ns.name())) {
      String override = w.annotations().get(Injection.PROXY_IMAGE_ANNOTATION);
      if ((override == null || override.isEmpty()) && runsOtherProxy(w, image, imageType(w, mesh))) {
        mismatched.add(WorkloadSelectors.workloadName(w));
      }
    }
    if (!mismatched.isEmpty()) {
      ctx.report(FieldPath.of("metadata", "name"), "The Istio proxy images of the pods running in the namespace do "
          + "not match the image defined in the injection configuration (pod names: "
          + WorkloadSelectors.goList(mismatched) + "). This often happens after upgrading the Istio control-plane and "
          + "can be fixed by redeploying the pods.");
    }
  }

  private static boolean runsOtherProxy(Workload w, String image, String imageType) {
    for (String list : new String[] {"containers", "initContainers"}) {
      for (JsonNode c : w.podSpec().path(list)) {
        String actual = c.path("image").asText();
        // In a template, image: auto is the placeholder the injector fills in (see IST0146).
        boolean placeholder = !w.isPod() && actual.equals("auto");
        if (Injection.PROXY_CONTAINER.equals(c.path("name").asText()) && !placeholder && !image.equals(actual)
            && !actual.equals(image + "-" + imageType)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The image type (such as {@code distroless}) the proxy of the workload is injected with, as Istio
   * resolves it: the mesh config's default, then the root namespace's ProxyConfig, the namespace's,
   * a selecting one, and last the {@code proxy.istio.io/config} annotation; empty for the default.
   */
  private static String imageType(Workload w, MeshView mesh) {
    String type = imageTypeIn(mesh.meshConfig().raw().path("defaultConfig"));
    for (Resource pc : mesh.resourcesIn(Kinds.PROXY_CONFIG, mesh.meshConfig().rootNamespace())) {
      type = orElse(imageTypeIn(pc.tree().path("spec")), type);
    }
    String selecting = "";
    for (Resource pc : mesh.resourcesIn(Kinds.PROXY_CONFIG, w.namespace())) {
      JsonNode selector = pc.tree().path("spec").path("selector").path("matchLabels");
      if (selector.isMissingNode()) {
        type = orElse(imageTypeIn(pc.tree().path("spec")), type);
      } else if (w.matches(Resource.stringMap(selector))) {
        selecting = orElse(imageTypeIn(pc.tree().path("spec")), selecting);
      }
    }
    type = orElse(selecting, type);
    String annotation = w.annotations().get(PROXY_CONFIG_ANNOTATION);
    if (annotation != null) {
      YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(annotation);
      if (parsed.problems().isEmpty() && parsed.documents().size() == 1) {
        type = orElse(imageTypeIn(parsed.documents().get(0)), type);
      }
    }
    return type.equals("default") ? "" : type;
  }

  private static String imageTypeIn(JsonNode proxyConfig) {
    return proxyConfig.path("image").path("imageType").asText("");
  }

  private static String orElse(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }
}
