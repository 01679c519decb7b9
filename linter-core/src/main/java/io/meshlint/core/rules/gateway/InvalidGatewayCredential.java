package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

@RuleMeta(
    code = "IST0161",
    name = "InvalidGatewayCredential",
    severity = Severity.ERROR,
    summary = "A Gateway's credentialName names a Secret that holds no usable TLS certificate.",
    description = """
        The gateway proxy loads the certificate of a server's `tls.credentialName` from a Secret in \
        the namespace of the gateway workload (not of the Gateway resource). When that Secret \
        holds no certificate and key, or the certificate does not parse, the proxy has nothing to \
        present and TLS handshakes on that server fail.

        meshlint reports, as `istioctl analyze` does, a `credentialName` whose Secret is among the \
        inputs but has neither `tls.crt` and `tls.key` nor `cert` and `key` (in `data`, base64, or \
        `stringData`), or whose certificate is not a PEM X.509 certificate, or has expired or is \
        not valid yet (so, as with istioctl, the result depends on the day the lint runs). The \
        workload namespace is that of the first Pod or pod template the Gateway's selector \
        matches (Istio looks at Pods only; Istio's default ingress gateway in `istio-system` is \
        assumed).

        A Secret that is not among the inputs is IST0101 ReferencedResourceNotFound \
        (`credentialName`).

        Fix: create the Secret with `kubectl create secret tls NAME --cert=... --key=...` in the \
        gateway workload's namespace, or correct `credentialName`.""",
    subjects = {Kinds.GATEWAY},
    reads = {Kinds.SECRET, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class InvalidGatewayCredential implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    String namespace = GatewayCredentials.workloadNamespace(gateway, ctx.mesh());
    if (namespace == null) {
      return;
    }
    GatewayCredentials.forEachCredential(gateway, (i, name) -> {
      Resource secret = GatewayCredentials.secret(name, namespace, ctx.mesh());
      if (secret != null && !holdsCertificate(secret)) {
        ctx.report(FieldPath.of("spec", "servers", i, "tls", "credentialName"), "The credential referenced by the "
            + "Gateway " + gateway.name() + " in namespace " + namespace + " is invalid, which can cause the traffic "
            + "not to work as expected.");
      }
    });
  }

  private static boolean holdsCertificate(Resource secret) {
    JsonNode tree = secret.tree();
    String cert = value(tree, "tls.crt");
    String key = value(tree, "tls.key");
    if (cert.isEmpty() || key.isEmpty()) {
      cert = value(tree, "cert");
      key = value(tree, "key");
    }
    if (cert.isEmpty() || key.isEmpty()) {
      return false;
    }
    try {
      // Istio validates the first PEM block only, and its validity dates.
      ((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(cert.getBytes(StandardCharsets.ISO_8859_1)))).checkValidity();
      return true;
    } catch (CertificateException | RuntimeException e) {
      return false;
    }
  }

  /** A Secret key's content, from {@code stringData} (which wins, as on apply) or base64 {@code data}; "" when absent. */
  private static String value(JsonNode secret, String key) {
    JsonNode plain = secret.path("stringData").path(key);
    if (plain.isTextual()) {
      return plain.asText();
    }
    JsonNode encoded = secret.path("data").path(key);
    if (!encoded.isTextual()) {
      return "";
    }
    try {
      return new String(Base64.getMimeDecoder().decode(encoded.asText()), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
