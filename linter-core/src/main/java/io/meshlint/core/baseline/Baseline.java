package io.meshlint.core.baseline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Findings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The findings a repository had when it adopted meshlint, so that a pipeline fails only on new
 * ones. A finding is matched by its code, its resource and a fingerprint of the field it points at
 * and its message, never by line: edits elsewhere in the file do not bring recorded findings back.
 * The same finding recorded twice is matched twice, no more.
 */
public final class Baseline {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  private final Map<String, Integer> counts;

  private Baseline(Map<String, Integer> counts) {
    this.counts = counts;
  }

  /** Findings that the baseline does not cover, and how many it did. */
  public record Filtered(Findings remaining, int matched) {}

  public Filtered filter(Findings findings) {
    Map<String, Integer> left = new HashMap<>(counts);
    int[] matched = {0};
    Findings remaining = findings.filter(f -> {
      String key = key(f);
      Integer n = left.get(key);
      if (n != null && n > 0) {
        left.put(key, n - 1);
        matched[0]++;
        return false;
      }
      return true;
    });
    return new Filtered(remaining, matched[0]);
  }

  /**
   * Writes the findings to {@code file} as they are walked, atomically: a failed write leaves the
   * old baseline intact.
   */
  public static void write(Path file, Findings findings) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".meshlint-baseline", ".tmp");
    try {
      try (JsonGenerator json = JSON.getFactory().createGenerator(Files.newBufferedWriter(temp, StandardCharsets.UTF_8))) {
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeNumberField("version", VERSION);
        json.writeArrayFieldStart("findings");
        findings.forEach(f -> {
          try {
            json.writeStartObject();
            json.writeStringField("code", f.rule().code());
            json.writeStringField("resource", resource(f));
            json.writeStringField("fingerprint", fingerprint(f));
            json.writeStringField("message", f.message());
            json.writeEndObject();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public static Baseline read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read baseline " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || root.path("version").asInt() != VERSION || !root.path("findings").isArray()) {
      throw new ConfigException("baseline " + file + " is not a meshlint baseline (version " + VERSION + ")");
    }
    Map<String, Integer> counts = new HashMap<>();
    for (JsonNode n : root.path("findings")) {
      counts.merge(n.path("code").asText() + "|" + n.path("resource").asText() + "|" + n.path("fingerprint").asText(), 1,
          Integer::sum);
    }
    return new Baseline(counts);
  }

  private static String key(Finding f) {
    return f.rule().code() + "|" + resource(f) + "|" + fingerprint(f);
  }

  /** The resource in istioctl's words, or the file for problems of the input itself. */
  private static String resource(Finding f) {
    return f.resource() == null ? "file " + f.location().file() : f.resource().toString();
  }

  /** A hash of the field and the message: stable when lines move, new when the problem changes. */
  static String fingerprint(Finding f) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((f.path() + "\n" + f.message()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
