package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README.md and docs/: every relative link resolves to a file, and every anchor to a heading of it. */
class DocsLinksTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```\\s*$");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]\n]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE = Pattern.compile("(?m)^ {0,3}\\[[^\\]\n]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    int checked = 0;
    for (Path page : pages()) {
      for (String link : links(Files.readString(page))) {
        if (SCHEME.matcher(link).find()) {
          continue;
        }
        checked++;
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        String where = ROOT.relativize(page) + ": " + link;
        if (!target.startsWith(ROOT) || !Files.exists(target)) {
          broken.add(where + " (no such file)");
        } else if (hash >= 0 && target.toString().endsWith(".md")
            && !anchors.computeIfAbsent(target, DocsLinksTest::headingAnchors).contains(link.substring(hash + 1))) {
          broken.add(where + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
    assertTrue(checked > 150, "relative links checked: " + checked);
  }

  /** The landing page stays one: short, with the two commands .ci/run and new users rely on. */
  @Test
  void readmeIsALandingPageWithTheQuickStartCommands() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    assertTrue(readme.size() <= 200, "README.md has " + readme.size() + " lines; the rest belongs in docs/");
    assertTrue(readme.stream().anyMatch(l -> l.startsWith("./meshlint lint examples/ ")), "quick start runs the examples");
    assertTrue(readme.stream().anyMatch(l -> l.startsWith("mvn -B verify ")), "quick start runs the tests");
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    assertTrue(ci.lines().anyMatch(l -> l.equals("mvn -B verify")), ".ci/run runs the README's test command");
  }

  @Test
  void anchorsAreMadeAsGithubMakesThem() {
    assertEquals(List.of("install-in-a-cluster-helm-aks", "meshlint-lint", "logs-and-metrics", "logs-and-metrics-1"),
        anchors("## Install in a cluster (Helm, AKS)\n## `meshlint lint`\n### Logs and metrics\n## Logs and metrics #\n"
            + "```\n# not a heading\n```\n"));
  }

  static List<String> links(String markdown) {
    String prose = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
    List<String> links = new ArrayList<>();
    for (Pattern p : List.of(LINK, REFERENCE)) {
      Matcher m = p.matcher(prose);
      while (m.find()) {
        links.add(m.group(1));
      }
    }
    return links;
  }

  private static Set<String> headingAnchors(Path page) {
    try {
      return new HashSet<>(anchors(Files.readString(page)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** GitHub's anchors: the heading's text in lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
  static List<String> anchors(String markdown) {
    List<String> anchors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
    while (m.find()) {
      String text = m.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
      String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return anchors;
  }
}
