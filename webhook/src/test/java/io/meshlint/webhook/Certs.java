package io.meshlint.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for the tests, made with the JDK's keytool and written as PEM. */
final class Certs {
  private Certs() {}

  record Pair(Path cert, Path key, X509Certificate certificate) {}

  /** A new key pair and certificate for localhost and 127.0.0.1, its subject {@code CN=<cn>}. */
  static Pair create(Path dir, String cn) throws Exception {
    return create(dir, cn, "-keyalg", "RSA", "-keysize", "2048");
  }

  /** The same with an EC P-256 key, as the self-managed certificates have (--self-managed-certs). */
  static Pair createEc(Path dir, String cn) throws Exception {
    return create(dir, cn, "-keyalg", "EC", "-groupname", "secp256r1");
  }

  private static Pair create(Path dir, String cn, String... keyOptions) throws Exception {
    Files.createDirectories(dir);
    Path store = dir.resolve(cn + ".p12");
    Files.deleteIfExists(store);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<String> command = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "webhook"));
    command.addAll(List.of(keyOptions));
    command.addAll(List.of("-dname", "CN=" + cn, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("webhook", "changeit".toCharArray());
    Certificate cert = ks.getCertificate("webhook");
    Path certFile = dir.resolve(cn + ".crt");
    Path keyFile = dir.resolve(cn + ".key");
    Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    return new Pair(certFile, keyFile, (X509Certificate) cert);
  }

  /** Puts the pair at {@code cert} and {@code key} the way a rotation does: each file replaced whole. */
  static void install(Pair pair, Path cert, Path key) throws IOException {
    replace(pair.cert(), cert);
    replace(pair.key(), key);
  }

  private static void replace(Path from, Path to) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  static KeyStore trustStore(List<X509Certificate> certs) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    for (int i = 0; i < certs.size(); i++) {
      ts.setCertificateEntry("c" + i, certs.get(i));
    }
    return ts;
  }
}
