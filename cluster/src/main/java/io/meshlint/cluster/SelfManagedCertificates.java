package io.meshlint.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's own certificates without cert-manager: a CA and a serving certificate kept in one
 * Secret, the CA written into the webhook's ValidatingWebhookConfiguration as {@code caBundle}, and
 * the serving certificate and key written as PEM files for the webhook's file-reload path.
 *
 * <p>Choices: keys are EC P-256 (signed SHA256withECDSA by the JDK's own providers; BouncyCastle only
 * builds the certificates and reads and writes PEM). The CA is valid {@link #CA_VALIDITY} (10 years)
 * and replaced when less than {@link #CA_RENEW_BEFORE} (1 year) remains; the serving certificate is
 * valid {@link #SERVING_VALIDITY} (1 year) and replaced when less than {@link #SERVING_RENEW_BEFORE}
 * (30 days) remains, or when it does not name the Service's DNS names, or was not signed by the CA.
 * Both start 5 minutes in the past (clock skew between nodes and the API server).
 *
 * <p>Secret keys: {@code ca.crt}, {@code ca.key}, {@code tls.crt}, {@code tls.key}, and after a CA
 * rotation {@code ca-previous.crt}: the caBundle holds the current CA and, while it is valid, the
 * previous one, so replicas still serving a certificate of the old CA are trusted until their next
 * check.
 *
 * <p>Replicas share the Secret: a create that conflicts (another replica created it first) and an
 * update that conflicts (the resourceVersion changed) are followed by a fresh read, so every replica
 * ends with what the Secret holds. Only the caBundle of the one configuration is patched, and only
 * when it differs. Each call of {@link #ensure()} is one complete pass; call it at start and then
 * periodically (the webhook does so hourly).
 */
public final class SelfManagedCertificates {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration CA_RENEW_BEFORE = Duration.ofDays(365);
  public static final Duration SERVING_VALIDITY = Duration.ofDays(365);
  public static final Duration SERVING_RENEW_BEFORE = Duration.ofDays(30);
  static final Duration BACKDATE = Duration.ofMinutes(5);
  public static final String CA_CRT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String CA_PREVIOUS = "ca-previous.crt";
  private static final int ATTEMPTS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final String webhookConfiguration;
  private final List<String> dnsNames;
  private final Path dir;
  private final Clock clock;

  /** What one pass found and did. {@code problem} is null when everything is in place. */
  public record Result(X509Certificate ca, X509Certificate serving, boolean secretWritten, boolean caBundlePatched,
      String problem) {}

  /**
   * @param namespace the namespace of the Secret and the Service
   * @param service the webhook's Service: the certificate names {@code svc}, {@code svc.ns},
   *     {@code svc.ns.svc} and {@code svc.ns.svc.cluster.local}
   * @param dir where {@code tls.crt} and {@code tls.key} are written
   */
  public SelfManagedCertificates(KubernetesClient client, String namespace, String secretName,
      String webhookConfiguration, String service, Path dir, Clock clock) {
    this.client = Objects.requireNonNull(client);
    this.namespace = Objects.requireNonNull(namespace);
    this.secretName = Objects.requireNonNull(secretName);
    this.webhookConfiguration = Objects.requireNonNull(webhookConfiguration);
    this.dnsNames = dnsNames(service, namespace);
    this.dir = Objects.requireNonNull(dir);
    this.clock = Objects.requireNonNull(clock);
  }

  public static List<String> dnsNames(String service, String namespace) {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  public Path certFile() {
    return dir.resolve(TLS_CRT);
  }

  public Path keyFile() {
    return dir.resolve(TLS_KEY);
  }

  /**
   * One pass: the Secret holds a valid CA and serving certificate (created or rotated as needed),
   * the PEM files are written, and the caBundle is patched. A missing ValidatingWebhookConfiguration
   * is reported in {@link Result#problem()} (the files are written all the same).
   *
   * @throws KubernetesClientException when the Secret cannot be read or written
   */
  public Result ensure() throws IOException {
    Material material = null;
    boolean written = false;
    for (int attempt = 1; material == null; attempt++) {
      Secret current = client.secrets().inNamespace(namespace).withName(secretName).get();
      Material found = current == null ? null : Material.read(current.getData());
      Material wanted = renew(found);
      if (wanted == found) {
        material = found;
        break;
      }
      try {
        if (current == null) {
          client.secrets().inNamespace(namespace).resource(new SecretBuilder()
              .withNewMetadata().withName(secretName).withNamespace(namespace)
              .addToLabels("app.kubernetes.io/managed-by", "meshlint-webhook").endMetadata()
              .withType("Opaque").withData(wanted.data()).build()).create();
        } else {
          // resourceVersion from the read: a concurrent writer makes this fail with 409
          Secret next = new SecretBuilder(current).withData(wanted.data()).build();
          client.secrets().inNamespace(namespace).resource(next).update();
        }
        material = wanted;
        written = true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
        // another replica wrote first: read what it wrote
      }
    }
    writeFiles(material);
    String bundle = Base64.getEncoder().encodeToString(material.caBundle(now()).getBytes(StandardCharsets.US_ASCII));
    boolean patched = false;
    String problem = null;
    // Replicas patch the same configuration: a conflicting write (409) is retried on a fresh read.
    for (int attempt = 1; ; attempt++) {
      ValidatingWebhookConfiguration vwc = client.admissionRegistration().v1().validatingWebhookConfigurations()
          .withName(webhookConfiguration).get();
      if (vwc == null) {
        problem = "ValidatingWebhookConfiguration " + webhookConfiguration + " not found: caBundle not written";
        break;
      }
      if (vwc.getWebhooks().stream().allMatch(w -> bundle.equals(caBundle(w)))) {
        break;
      }
      try {
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(webhookConfiguration)
            .edit(c -> withCaBundle(c, bundle));
        patched = true;
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
    return new Result(material.ca, material.serving, written, patched, problem);
  }

  private static ValidatingWebhookConfiguration withCaBundle(ValidatingWebhookConfiguration vwc, String bundle) {
    for (ValidatingWebhook w : vwc.getWebhooks()) {
      if (w.getClientConfig() != null) {
        w.getClientConfig().setCaBundle(bundle);
      }
    }
    return vwc;
  }

  private static String caBundle(ValidatingWebhook w) {
    return w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle();
  }

  private Instant now() {
    return clock.instant();
  }

  /** {@code found} when it is valid long enough, else what replaces it (a new serving certificate, or a new CA too). */
  private Material renew(Material found) {
    Instant now = now();
    try {
      if (found == null || !found.caValid(now)) {
        KeyPair caKeys = keys();
        X509Certificate ca = caCertificate(caKeys, now);
        KeyPair servingKeys = keys();
        X509Certificate serving = servingCertificate(servingKeys.getPublic(), ca, caKeys.getPrivate(), now);
        X509Certificate previous = found != null && found.ca != null && found.ca.getNotAfter().toInstant().isAfter(now)
            ? found.ca : null;
        return new Material(ca, caKeys.getPrivate(), serving, servingKeys.getPrivate(), previous);
      }
      if (!found.servingValid(now, dnsNames)) {
        KeyPair servingKeys = keys();
        X509Certificate serving = servingCertificate(servingKeys.getPublic(), found.ca, found.caKey, now);
        return new Material(found.ca, found.caKey, serving, servingKeys.getPrivate(), found.previousCa);
      }
      return found;
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate certificates: " + e.getMessage(), e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private X509Certificate caCertificate(KeyPair keys, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name("O=meshlint,CN=meshlint-webhook-ca " + namespace + "/" + secretName);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(builder, keys.getPrivate());
  }

  private X509Certificate servingCertificate(PublicKey key, X509Certificate ca, PrivateKey caKey, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
    Instant notAfter = now.plus(SERVING_VALIDITY);
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
        Date.from(now.minus(BACKDATE)), Date.from(notAfter), new X500Name("CN=" + dnsNames.get(2)), key)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
        .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    return sign(builder, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  /** Writes tls.crt and tls.key when their content differs from what is there, each by an atomic rename. */
  private void writeFiles(Material m) throws IOException {
    Files.createDirectories(dir);
    write(keyFile(), pem(m.servingKey), true);
    write(certFile(), pem(m.serving), false);
  }

  private static void write(Path file, String content, boolean secret) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
    if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
      }
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Parses PEM certificates (the first is returned by {@link #certificate}). */
  public static List<X509Certificate> certificates(String pem) throws IOException, GeneralSecurityException {
    List<X509Certificate> certs = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          certs.add(new JcaX509CertificateConverter().getCertificate(h));
        }
      }
    }
    return certs;
  }

  public static PrivateKey privateKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IOException("no private key");
    }
  }

  /** Whether {@code key} signs what {@code cert}'s public key verifies. */
  static boolean matches(X509Certificate cert, PrivateKey key) {
    try {
      String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
      byte[] probe = new byte[32];
      RANDOM.nextBytes(probe);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** What the Secret holds, parsed; any part may be null when missing or unreadable. */
  private record Material(X509Certificate ca, PrivateKey caKey, X509Certificate serving, PrivateKey servingKey,
      X509Certificate previousCa) {
    static Material read(Map<String, String> data) {
      if (data == null || data.isEmpty()) {
        return null;
      }
      return new Material(cert(data.get(CA_CRT)), key(data.get(CA_KEY)), cert(data.get(TLS_CRT)),
          key(data.get(TLS_KEY)), cert(data.get(CA_PREVIOUS)));
    }

    private static String decode(String base64) {
      return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    private static X509Certificate cert(String base64) {
      try {
        String pem = decode(base64);
        List<X509Certificate> certs = pem == null ? List.of() : certificates(pem);
        return certs.isEmpty() ? null : certs.get(0);
      } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
        return null;
      }
    }

    private static PrivateKey key(String base64) {
      try {
        String pem = decode(base64);
        return pem == null ? null : privateKey(pem);
      } catch (IOException | IllegalArgumentException e) {
        return null;
      }
    }

    boolean caValid(Instant now) {
      return ca != null && caKey != null && ca.getBasicConstraints() >= 0
          && !ca.getNotBefore().toInstant().isAfter(now.plus(BACKDATE))
          && ca.getNotAfter().toInstant().isAfter(now.plus(CA_RENEW_BEFORE)) && matches(ca, caKey);
    }

    boolean servingValid(Instant now, List<String> names) {
      if (serving == null || servingKey == null
          || serving.getNotBefore().toInstant().isAfter(now.plus(BACKDATE))
          || !serving.getNotAfter().toInstant().isAfter(now.plus(SERVING_RENEW_BEFORE)) || !matches(serving, servingKey)) {
        return false;
      }
      try {
        serving.verify(ca.getPublicKey());
        List<String> has = new ArrayList<>();
        if (serving.getSubjectAlternativeNames() != null) {
          for (List<?> san : serving.getSubjectAlternativeNames()) {
            if (Integer.valueOf(GeneralName.dNSName).equals(san.get(0))) {
              has.add(String.valueOf(san.get(1)));
            }
          }
        }
        return has.containsAll(names);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }

    /** The PEM of the current CA and, while it is valid, the previous one. */
    String caBundle(Instant now) {
      String bundle = pem(ca);
      if (previousCa != null && previousCa.getNotAfter().toInstant().isAfter(now)) {
        bundle += pem(previousCa);
      }
      return bundle;
    }

    Map<String, String> data() {
      Map<String, String> data = new LinkedHashMap<>();
      data.put(CA_CRT, encode(pem(ca)));
      data.put(CA_KEY, encode(pem(caKey)));
      data.put(TLS_CRT, encode(pem(serving)));
      data.put(TLS_KEY, encode(pem(servingKey)));
      if (previousCa != null) {
        data.put(CA_PREVIOUS, encode(pem(previousCa)));
      }
      return data;
    }

    private static String encode(String pem) {
      return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
