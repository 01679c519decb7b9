package io.meshlint.cli.lsp;

import io.meshlint.core.docs.RuleDocs;
import io.meshlint.core.rule.RuleInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The page a diagnostic's code links to. Istio's codes link to Istio's reference pages. meshlint's
 * own codes link to the rule's page as {@code meshlint explain} shows it: the pages ship in the jar,
 * and an editor opens only an absolute URL, so each page is written once (on first use, per
 * meshlint version) under the user's cache directory and linked as a {@code file:} URL; it is the
 * page of the meshlint that is running, offline and without depending on where the project is
 * hosted. A team's custom rule has no page: it links to the project config that defines it.
 */
final class RuleLinks {
  private final Path pages;
  private final Map<String, String> known = new HashMap<>();

  /** @param pages where the rule pages are written */
  RuleLinks(Path pages) {
    this.pages = pages;
  }

  /** Under {@code $XDG_CACHE_HOME} (or {@code ~/.cache}), by meshlint version, so that versions never mix their pages. */
  static Path userCache(String version) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("meshlint").resolve(version).resolve("rules");
  }

  /**
   * The absolute URL of the rule's page; for a custom rule, of {@code configFile} (the project
   * config in force). Null when there is neither, or when the page cannot be written.
   */
  String href(RuleInfo rule, Path configFile) {
    if (rule.isIstioCode()) {
      return rule.docsUrl();
    }
    String code = rule.code();
    if (RuleLinks.class.getResource(RuleDocs.SHIPPED + code + ".md") == null) {
      return configFile == null ? null : configFile.toAbsolutePath().toUri().toString();
    }
    if (!known.containsKey(code)) {
      known.put(code, shippedPage(code)); // null too: a page that cannot be written is tried once
    }
    return known.get(code);
  }

  private String shippedPage(String code) {
    try (InputStream in = RuleLinks.class.getResourceAsStream(RuleDocs.SHIPPED + code + ".md")) {
      if (in == null) {
        return null;
      }
      String page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Path file = pages.resolve(code + ".md");
      if (!Files.isRegularFile(file) || !Files.readString(file).equals(page)) {
        Files.createDirectories(pages);
        // Written aside and moved, so that an editor never opens a half-written page.
        Path partial = Files.createTempFile(pages, code, ".tmp");
        Files.writeString(partial, page);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return file.toUri().toString();
    } catch (IOException | UncheckedIOException e) {
      System.err.println("meshlint lsp: cannot write the page of " + code + " under " + pages + ": " + e.getMessage());
      return null;
    }
  }
}
