package io.meshlint.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/** The PEM certificate and key files, read, checked and turned into the server's TLS settings. */
final class TlsFiles {
  /** TLS 1.2 and 1.3 only. */
  static final Set<String> PROTOCOLS = new LinkedHashSet<>(List.of("TLSv1.2", "TLSv1.3"));
  /** TLS 1.3's suites and, for 1.2, forward-secret AEAD suites only (Mozilla's "intermediate" list). */
  static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final Path cert;
  private final Path key;

  TlsFiles(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
  }

  /** What tells a change without reading the files: modification times (through symlinks, as Secret volumes use) and sizes. */
  record Stamp(FileTime certTime, long certSize, FileTime keyTime, long keySize) {}

  /** A certificate and key that were read and found to belong together. */
  record Loaded(Stamp stamp, PemKeyCertOptions options, String fingerprint) {}

  Stamp stamp() throws IOException {
    return new Stamp(Files.getLastModifiedTime(cert), Files.size(cert), Files.getLastModifiedTime(key), Files.size(key));
  }

  /**
   * Reads both files and checks them: both parse, and the key signs what the certificate's public
   * key verifies (a rotation caught between writing the certificate and the key fails here and is
   * tried again at the next poll).
   */
  Loaded load(Vertx vertx) throws Exception {
    Stamp stamp = stamp();
    byte[] certBytes = Files.readAllBytes(cert);
    byte[] keyBytes = Files.readAllBytes(key);
    PemKeyCertOptions options = new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(certBytes)).setKeyValue(Buffer.buffer(keyBytes));
    checkPair(vertx, options);
    return new Loaded(stamp, options, fingerprint(certBytes, keyBytes));
  }

  private void checkPair(Vertx vertx, PemKeyCertOptions options) throws Exception {
    KeyStore store;
    try {
      store = options.loadKeyStore(vertx);
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read " + cert + " and " + key + ": " + e.getMessage(), e);
    }
    X509KeyManager manager = null;
    for (KeyManager km : options.getKeyManagerFactory(vertx).getKeyManagers()) {
      if (km instanceof X509KeyManager x) {
        manager = x;
      }
    }
    List<String> aliases = Collections.list(store.aliases());
    if (manager == null || aliases.isEmpty()) {
      throw new IllegalArgumentException(cert + " and " + key + " hold no certificate with its key");
    }
    for (String alias : aliases) {
      PrivateKey privateKey = manager.getPrivateKey(alias);
      Certificate[] chain = store.getCertificateChain(alias);
      if (privateKey == null || chain == null || chain.length == 0) {
        throw new IllegalArgumentException(cert + " and " + key + " hold no certificate with its key");
      }
      String algorithm = switch (privateKey.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        case "Ed25519", "EdDSA" -> "Ed25519";
        default -> null;
      };
      if (algorithm == null) {
        continue;
      }
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(chain[0].getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("the key in " + key + " does not belong to the certificate in " + cert);
      }
    }
  }

  static ServerSSLOptions sslOptions(PemKeyCertOptions keyCert) {
    ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(keyCert).setEnabledSecureTransportProtocols(PROTOCOLS);
    CIPHER_SUITES.forEach(ssl::addEnabledCipherSuite);
    return ssl;
  }

  private static String fingerprint(byte[] certBytes, byte[] keyBytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(certBytes);
      md.update((byte) 0);
      md.update(keyBytes);
      return Arrays.toString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Path cert() {
    return cert;
  }

  Path key() {
    return key;
  }
}
