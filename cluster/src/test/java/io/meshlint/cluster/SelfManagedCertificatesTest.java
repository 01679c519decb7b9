package io.meshlint.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SelfManagedCertificates} against fabric8's Kubernetes mock server in CRUD mode. */
class SelfManagedCertificatesTest {
  private static final String NS = "meshlint";
  private static final String SECRET = "meshlint-tls";
  private static final String VWC = "meshlint";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesMixedDispatcher(new HashMap<>()), false);
    server.init();
    client = server.createClient();
    client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(VWC).endMetadata()
        .addNewWebhook().withName("validate.meshlint.io").withAdmissionReviewVersions("v1").withSideEffects("None")
        .withNewClientConfig().withNewService().withName("meshlint").withNamespace(NS).withPath("/validate").endService()
        .endClientConfig().endWebhook()
        .build()).create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private SelfManagedCertificates certs(Instant now, String subdir) {
    return new SelfManagedCertificates(client, NS, SECRET, VWC, "meshlint", dir.resolve(subdir),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private Secret secret() {
    return client.secrets().inNamespace(NS).withName(SECRET).get();
  }

  private String caBundle() {
    ValidatingWebhookConfiguration vwc = client.admissionRegistration().v1().validatingWebhookConfigurations()
        .withName(VWC).get();
    String b = vwc.getWebhooks().get(0).getClientConfig().getCaBundle();
    return b == null ? null : new String(Base64.getDecoder().decode(b), StandardCharsets.US_ASCII);
  }

  @Test
  void firstStartCreatesTheSecretAndPatchesTheCaBundle() throws Exception {
    assertNull(secret());
    SelfManagedCertificates.Result r = certs(T0, "a").ensure();
    assertTrue(r.secretWritten());
    assertTrue(r.caBundlePatched());
    assertNull(r.problem());
    Secret s = secret();
    assertEquals(Set.of("ca.crt", "ca.key", "tls.crt", "tls.key"), s.getData().keySet());

    // the files parse, belong together and name the Service
    X509Certificate serving = SelfManagedCertificates.certificates(Files.readString(dir.resolve("a/tls.crt"))).get(0);
    PrivateKey key = SelfManagedCertificates.privateKey(Files.readString(dir.resolve("a/tls.key")));
    assertTrue(SelfManagedCertificates.matches(serving, key));
    assertEquals(r.serving(), serving);
    assertEquals(Set.of("meshlint", "meshlint.meshlint", "meshlint.meshlint.svc", "meshlint.meshlint.svc.cluster.local"),
        dnsNames(serving));
    assertEquals(-1, serving.getBasicConstraints());
    assertTrue(serving.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    assertEquals(T0.plus(SelfManagedCertificates.SERVING_VALIDITY), serving.getNotAfter().toInstant());
    assertEquals("EC", serving.getPublicKey().getAlgorithm());

    // the caBundle verifies the serving certificate
    List<X509Certificate> bundle = SelfManagedCertificates.certificates(caBundle());
    assertEquals(1, bundle.size());
    X509Certificate ca = bundle.get(0);
    serving.verify(ca.getPublicKey());
    assertTrue(ca.getBasicConstraints() >= 0);
    assertEquals(T0.plus(SelfManagedCertificates.CA_VALIDITY), ca.getNotAfter().toInstant());
    assertEquals(ca.getSubjectX500Principal(), serving.getIssuerX500Principal());

    // a second pass changes nothing
    String rv = secret().getMetadata().getResourceVersion();
    SelfManagedCertificates.Result again = certs(T0.plus(Duration.ofHours(1)), "a").ensure();
    assertFalse(again.secretWritten());
    assertFalse(again.caBundlePatched());
    assertEquals(rv, secret().getMetadata().getResourceVersion());
  }

  @Test
  void aSecondInstanceReusesTheSecret() throws Exception {
    SelfManagedCertificates.Result first = certs(T0, "a").ensure();
    SelfManagedCertificates.Result second = certs(T0.plus(Duration.ofMinutes(1)), "b").ensure();
    assertFalse(second.secretWritten());
    assertFalse(second.caBundlePatched());
    assertEquals(first.ca(), second.ca());
    assertEquals(first.serving(), second.serving());
    assertEquals(Files.readString(dir.resolve("a/tls.key")), Files.readString(dir.resolve("b/tls.key")));
  }

  @Test
  void anEmptySecretFromTheChartIsFilled() throws Exception {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(SECRET).withNamespace(NS)
        .endMetadata().withType("Opaque").build()).create();
    SelfManagedCertificates.Result r = certs(T0, "a").ensure();
    assertTrue(r.secretWritten());
    assertEquals(4, secret().getData().size());
    assertEquals(r.ca(), SelfManagedCertificates.certificates(caBundle()).get(0));
  }

  @Test
  void concurrentReplicasEndWithOneCa() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<SelfManagedCertificates.Result>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String sub = "r" + i;
        results.add(pool.submit((Callable<SelfManagedCertificates.Result>) () -> certs(T0, sub).ensure()));
      }
      for (Future<SelfManagedCertificates.Result> f : results) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    // whoever lost a race re-reads: one more pass by anyone finds everything in place
    SelfManagedCertificates.Result settled = certs(T0, "check").ensure();
    assertFalse(settled.secretWritten());
    assertFalse(settled.caBundlePatched());
    X509Certificate ca = SelfManagedCertificates.certificates(caBundle()).get(0);
    assertEquals(settled.ca(), ca);
  }

  @Test
  void anExpiringServingCertificateIsRotatedUnderTheSameCa() throws Exception {
    SelfManagedCertificates.Result first = certs(T0, "a").ensure();
    String bundle = caBundle();
    // 31 days left: kept
    Instant keep = first.serving().getNotAfter().toInstant().minus(Duration.ofDays(31));
    assertFalse(certs(keep, "a").ensure().secretWritten());
    // 29 days left: rotated, same CA, caBundle unchanged
    Instant later = first.serving().getNotAfter().toInstant().minus(Duration.ofDays(29));
    SelfManagedCertificates.Result rotated = certs(later, "a").ensure();
    assertTrue(rotated.secretWritten());
    assertFalse(rotated.caBundlePatched());
    assertEquals(first.ca(), rotated.ca());
    assertNotEquals(first.serving(), rotated.serving());
    assertEquals(later.plus(SelfManagedCertificates.SERVING_VALIDITY), rotated.serving().getNotAfter().toInstant());
    assertEquals(bundle, caBundle());
    X509Certificate onDisk = SelfManagedCertificates.certificates(Files.readString(dir.resolve("a/tls.crt"))).get(0);
    assertEquals(rotated.serving(), onDisk);
    onDisk.verify(first.ca().getPublicKey());
  }

  @Test
  void anExpiringCaIsRotatedAndTheOldOneStaysInTheBundle() throws Exception {
    SelfManagedCertificates.Result first = certs(T0, "a").ensure();
    Instant later = first.ca().getNotAfter().toInstant().minus(Duration.ofDays(300));
    SelfManagedCertificates.Result rotated = certs(later, "a").ensure();
    assertTrue(rotated.secretWritten());
    assertTrue(rotated.caBundlePatched());
    assertNotEquals(first.ca(), rotated.ca());
    rotated.serving().verify(rotated.ca().getPublicKey());
    List<X509Certificate> bundle = SelfManagedCertificates.certificates(caBundle());
    assertEquals(List.of(rotated.ca(), first.ca()), bundle);
    assertTrue(secret().getData().containsKey("ca-previous.crt"));
  }

  @Test
  void aCertificateForAnotherServiceIsReplaced() throws Exception {
    SelfManagedCertificates.Result first = certs(T0, "a").ensure();
    SelfManagedCertificates other = new SelfManagedCertificates(client, NS, SECRET, VWC, "renamed", dir.resolve("a"),
        Clock.fixed(T0, ZoneOffset.UTC));
    SelfManagedCertificates.Result r = other.ensure();
    assertTrue(r.secretWritten());
    assertEquals(first.ca(), r.ca());
    assertTrue(dnsNames(r.serving()).contains("renamed.meshlint.svc"));
  }

  @Test
  void aMissingWebhookConfigurationIsReportedButTheFilesAreWritten() throws Exception {
    client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VWC).delete();
    SelfManagedCertificates.Result r = certs(T0, "a").ensure();
    assertTrue(r.problem() != null && r.problem().contains("not found"), String.valueOf(r.problem()));
    assertTrue(Files.isRegularFile(dir.resolve("a/tls.crt")) && Files.isRegularFile(dir.resolve("a/tls.key")));
  }

  private static Set<String> dnsNames(X509Certificate cert) throws Exception {
    return cert.getSubjectAlternativeNames().stream().filter(san -> Integer.valueOf(2).equals(san.get(0)))
        .map(san -> String.valueOf(san.get(1))).collect(Collectors.toSet());
  }
}
