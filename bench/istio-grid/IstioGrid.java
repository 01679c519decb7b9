import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs meshlint on every case of Istio's analyzer test grid ({@code testGrid} in
 * pkg/config/analysis/analyzers/analyzers_test.go) and judges as that test does: the multiset of
 * (code, "Kind namespace/name") must equal the expected one. Each case runs one Istio analyzer, so
 * only findings with a code that analyzer can emit, on a kind it reads, count; both are read from
 * the analyzer's Go source (its msg.NewX calls and its gvk inputs) and msg/messages.yaml.
 *
 * <p>Usage: {@code java -cp cli/target/meshlint.jar IstioGrid.java ISTIO_DIR [DEPARTURES_TSV] [CASE_NAME_SUBSTRING]}
 * where ISTIO_DIR is a checkout of istio/istio or its bare git directory. The inputs of each case
 * are written to a temporary directory, never next to this file. Exit status 0 when every case
 * passes or differs only by listed departures.
 */
public final class IstioGrid {
  static final String ANALYZERS = "pkg/config/analysis/analyzers/";
  static final String NOT_FOUND = "IST0101";

  record Expected(String code, String origin) {}

  /** A finding of meshlint: its code, resource as Istio names it, and message. */
  record Finding(String code, String origin, String message) {
    Expected key() {
      return new Expected(code, origin);
    }
  }

  record Case(String name, List<String> inputs, String meshConfig, String meshNetworks, String analyzer,
      List<Expected> expected) {}

  /**
   * What one Istio analyzer can say: its codes, the kinds it reads (empty: any kind) and what its
   * IST0101 messages say is not found ("Referenced gateway not found: ...").
   */
  record Analyzer(Set<String> codes, Set<String> kinds, Set<String> notFound) {
    boolean emits(Finding f) {
      return codes.contains(f.code())
          && (kinds.isEmpty() || kinds.contains(f.origin().split(" ")[0]))
          && (!f.code().equals(NOT_FOUND) || notFound.stream().anyMatch(t -> f.message().startsWith("Referenced " + t + " not found")));
    }
  }

  record Departure(String caseName, String code, String origin, String reason) {}

  final Path istio;
  final boolean bare;

  IstioGrid(Path istio) {
    this.istio = istio;
    this.bare = !Files.isRegularFile(istio.resolve(ANALYZERS + "analyzers_test.go"));
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: IstioGrid ISTIO_DIR [DEPARTURES_TSV] [CASE_NAME_SUBSTRING]");
      System.exit(2);
    }
    IstioGrid grid = new IstioGrid(Path.of(args[0]));
    List<Departure> departures = args.length > 1 ? readDepartures(Path.of(args[1])) : List.of();
    String only = args.length > 2 ? args[2] : null;
    System.exit(grid.run(departures, only));
  }

  int run(List<Departure> departures, String only) throws Exception {
    String test = read(ANALYZERS + "analyzers_test.go");
    Map<String, String> codes = messageCodes(read("pkg/config/analysis/msg/messages.yaml"));
    Map<String, String> packages = importedPackages(test);
    List<Case> cases = parseGrid(test, codes);
    PrintStream out = System.out;
    out.println("istio commit " + git("rev-parse", "HEAD").strip() + ", " + cases.size() + " cases");

    Set<String> offByDefault = rulesOffByDefault();
    Path tmp = Files.createTempDirectory("istio-grid");
    int pass = 0;
    int passWithDepartures = 0;
    int expectedTotal = 0;
    int found = 0;
    int unexpectedTotal = 0;
    Map<String, int[]> perCode = new TreeMap<>(); // code -> expected, found, unexpected
    List<String> failing = new ArrayList<>();
    try {
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        if (only != null && !c.name().contains(only)) {
          continue;
        }
        Analyzer analyzer = analyzer(c.analyzer(), packages, codes);
        Path dir = Files.createDirectories(tmp.resolve("case" + i));
        List<String> lint = new ArrayList<>(List.of("lint", "--output", "json", "--fail-on", "none"));
        // The case runs its analyzer whether or not istioctl runs it by default; so do its rules.
        List<String> enable = analyzer.codes().stream().filter(offByDefault::contains).toList();
        if (!enable.isEmpty()) {
          lint.addAll(List.of("--enable", String.join(",", enable)));
        }
        if (c.meshConfig() != null) {
          lint.addAll(List.of("--mesh-config", write(dir.resolveSibling("case" + i + "-meshconfig.yaml"), c.meshConfig()).toString()));
        }
        if (c.meshNetworks() != null) {
          lint.addAll(List.of("--mesh-networks", write(dir.resolveSibling("case" + i + "-meshnetworks.yaml"), c.meshNetworks()).toString()));
        }
        for (String input : c.inputs()) {
          write(dir.resolve(input.replace('/', '_')), input);
        }
        lint.add(dir.toString());
        // Istio's analysis drops a message equal to another (same code, resource and text), as its
        // SortedDedupedCopy does; the test sees what is left.
        List<Expected> actual = lint(lint).stream().filter(analyzer::emits).distinct().map(Finding::key).toList();

        List<Expected> missing = new ArrayList<>(c.expected());
        List<Expected> extra = new ArrayList<>();
        matchAll(missing, actual, extra);
        for (Expected e : c.expected()) {
          perCode.computeIfAbsent(e.code(), k -> new int[3])[0]++;
        }
        Map<String, Integer> missingByCode = countByCode(missing);
        countByCode(c.expected()).forEach((code, n) -> perCode.get(code)[1] += n - missingByCode.getOrDefault(code, 0));
        extra.forEach(e -> perCode.computeIfAbsent(e.code(), k -> new int[3])[2]++);
        expectedTotal += c.expected().size();
        found += c.expected().size() - missing.size();
        unexpectedTotal += extra.size();

        if (missing.isEmpty() && extra.isEmpty()) {
          pass++;
          continue;
        }
        List<String> lines = new ArrayList<>();
        boolean allDeparted = true;
        for (Expected e : missing) {
          Departure d = departure(departures, c.name(), e);
          allDeparted &= d != null;
          lines.add("  missing    " + e.code() + " " + e.origin() + (d == null ? "" : "   (departure: " + d.reason() + ")"));
        }
        for (Expected e : extra) {
          Departure d = departure(departures, c.name(), e);
          allDeparted &= d != null;
          lines.add("  unexpected " + e.code() + " " + e.origin() + (d == null ? "" : "   (departure: " + d.reason() + ")"));
        }
        out.println((allDeparted ? "DEPARTS " : "FAIL    ") + c.name() + "  [" + c.analyzer() + "]");
        lines.forEach(out::println);
        if (allDeparted) {
          passWithDepartures++;
        } else {
          failing.add(c.name());
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }

    out.println();
    out.printf("%-8s %8s %6s %10s%n", "code", "expected", "found", "unexpected");
    perCode.forEach((code, n) -> out.printf("%-8s %8d %6d %10d%n", code, n[0], n[1], n[2]));
    out.println();
    int run = only == null ? cases.size() : pass + passWithDepartures + failing.size();
    out.printf("%d/%d cases pass, recall %.0f%%, unexpected %d%n", pass, run,
        expectedTotal == 0 ? 100.0 : 100.0 * found / expectedTotal, unexpectedTotal);
    out.printf("%d more cases differ only by listed departures; %d fail: %s%n", passWithDepartures, failing.size(), failing);
    return failing.isEmpty() ? 0 : 1;
  }

  /**
   * Removes from {@code missing} what {@code actual} has and puts the rest of {@code actual} in
   * {@code extra}. Istio names a resource without namespace "Kind name"; meshlint places it in the
   * default namespace, so "Kind default/name" matches it when nothing matches exactly.
   */
  static void matchAll(List<Expected> missing, List<Expected> actual, List<Expected> extra) {
    List<Expected> left = new ArrayList<>();
    for (Expected a : actual) {
      if (!missing.remove(a)) {
        left.add(a);
      }
    }
    for (Expected a : left) {
      String bare = a.origin().replaceFirst("^(\\S+) default/", "$1 ");
      if (!missing.remove(new Expected(a.code(), bare))) {
        extra.add(a);
      }
    }
  }

  static Map<String, Integer> countByCode(List<Expected> list) {
    Map<String, Integer> m = new HashMap<>();
    list.forEach(e -> m.merge(e.code(), 1, Integer::sum));
    return m;
  }

  static Departure departure(List<Departure> departures, String caseName, Expected e) {
    return departures.stream()
        .filter(d -> d.caseName().equals(caseName) && d.code().equals(e.code()) && d.origin().equals(e.origin()))
        .findFirst().orElse(null);
  }

  /** The codes of meshlint's rules that are off unless enabled. */
  static Set<String> rulesOffByDefault() throws IOException {
    Set<String> off = new LinkedHashSet<>();
    for (JsonNode rule : new ObjectMapper().readTree(run(List.of("rules", "--output", "json"))).path("rules")) {
      if (!rule.path("enabledByDefault").asBoolean(true)) {
        off.add(rule.path("code").asText());
      }
    }
    return off;
  }

  /** Runs the meshlint CLI in this JVM and returns what it wrote to standard output. */
  static byte[] run(List<String> args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      status = io.meshlint.cli.Main.run(args.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
    if (status != 0) {
      throw new IllegalStateException("meshlint " + args + " exited " + status);
    }
    return buf.toByteArray();
  }

  /** Runs meshlint lint in this JVM and returns its findings as (code, "Kind ns/name"). */
  static List<Finding> lint(List<String> args) throws IOException {
    List<Finding> findings = new ArrayList<>();
    for (JsonNode f : new ObjectMapper().readTree(run(args)).path("findings")) {
      JsonNode r = f.path("resource");
      if (r.isMissingNode() || r.isNull()) {
        continue;
      }
      String ns = r.path("namespace").isTextual() ? r.path("namespace").asText() + "/" : "";
      findings.add(new Finding(f.path("code").asText(), r.path("kind").asText() + " " + ns + r.path("name").asText(),
          f.path("message").asText()));
    }
    return findings;
  }

  // ---- reading Istio's sources

  String read(String path) throws IOException, InterruptedException {
    return bare ? git("show", "HEAD:" + path) : Files.readString(istio.resolve(path));
  }

  /** Writes the Istio file {@code analyzersRelative} (relative to the analyzers package) to {@code to}. */
  Path write(Path to, String analyzersRelative) throws IOException, InterruptedException {
    Files.writeString(to, read(ANALYZERS + analyzersRelative));
    return to;
  }

  String git(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", bare ? "--git-dir=" + istio : "-C", bare ? "-c" : istio.toString()));
    if (bare) {
      cmd.add("core.quotepath=off");
    }
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed");
    }
    return s;
  }

  /** Message name (msg.ReferencedResourceNotFound) to code (IST0101), from msg/messages.yaml. */
  static Map<String, String> messageCodes(String yaml) {
    Map<String, String> m = new HashMap<>();
    Matcher mm = Pattern.compile("-\\s*name:\\s*\"(\\w+)\"\\s*\\n\\s*code:\\s*(\\w+)").matcher(yaml);
    while (mm.find()) {
      m.put(mm.group(1), mm.group(2));
    }
    return m;
  }

  /** Import alias (or last path element) to the directory under the analyzers package. */
  static Map<String, String> importedPackages(String test) {
    Map<String, String> m = new HashMap<>();
    Matcher mm = Pattern.compile("(?m)^\\s*(\\w+\\s+)?\"istio\\.io/istio/" + Pattern.quote(ANALYZERS) + "(\\w+)\"").matcher(test);
    while (mm.find()) {
      m.put(mm.group(1) == null ? mm.group(2) : mm.group(1).strip(), mm.group(2));
    }
    return m;
  }

  final Map<String, Analyzer> analyzers = new HashMap<>();

  /**
   * The codes and input kinds of the analyzer written {@code expr} in the grid: {@code &pkg.Type{}}
   * is read from the file of its package declaring {@code func (a *Type) Analyze}; the schema
   * package's {@code CollectionValidationAnalyzer(collections.Kind)} reads only that kind.
   */
  Analyzer analyzer(String expr, Map<String, String> packages, Map<String, String> codes) throws Exception {
    Analyzer cached = analyzers.get(expr);
    if (cached != null) {
      return cached;
    }
    Matcher type = Pattern.compile("&(\\w+)\\.(\\w+)\\{}").matcher(expr);
    Matcher collection = Pattern.compile("(\\w+)\\.CollectionValidationAnalyzer\\(collections\\.(\\w+)\\)").matcher(expr);
    String pkg;
    String typeName;
    Set<String> onlyKind = null;
    if (type.matches()) {
      pkg = packages.get(type.group(1));
      typeName = type.group(2);
    } else if (collection.matches()) {
      pkg = packages.get(collection.group(1));
      typeName = "ValidationAnalyzer";
      onlyKind = Set.of(kind(collection.group(2)));
    } else {
      throw new IllegalArgumentException("analyzer not understood: " + expr);
    }
    String source = null;
    for (String f : git("ls-tree", "--name-only", "HEAD", ANALYZERS + pkg + "/").split("\n")) {
      if (f.endsWith(".go") && !f.endsWith("_test.go")) {
        String s = read(f);
        if (Pattern.compile("func \\(\\w+ \\*?" + typeName + "\\) Analyze\\(").matcher(s).find()) {
          source = s;
        }
      }
    }
    if (source == null) {
      throw new IllegalArgumentException("no source for " + expr);
    }
    Set<String> emits = new LinkedHashSet<>();
    Matcher m = Pattern.compile("msg\\.New(\\w+)\\(").matcher(source);
    while (m.find()) {
      emits.add(codes.get(m.group(1)));
    }
    Set<String> kinds = new LinkedHashSet<>();
    // Inputs is a literal list, or a variable holding one.
    Matcher variable = Pattern.compile("Inputs:\\s*(\\w+)\\s*,").matcher(source);
    String list = variable.find() ? Pattern.quote(variable.group(1)) + "\\s*:?=\\s*" : "Inputs:\\s*";
    Matcher inputs = Pattern.compile(list + "\\[\\]config\\.GroupVersionKind\\{([^}]*)}").matcher(source);
    if (onlyKind != null) {
      kinds.addAll(onlyKind);
    } else if (inputs.find()) {
      Matcher g = Pattern.compile("\\w+\\.(\\w+)").matcher(inputs.group(1));
      while (g.find()) {
        kinds.add(kind(g.group(1)));
      }
    }
    Set<String> notFound = new LinkedHashSet<>();
    Matcher nf = Pattern.compile("msg\\.NewReferencedResourceNotFound\\(\\w+,\\s*\"([^\"]*)\"").matcher(source);
    while (nf.find()) {
      notFound.add(nf.group(1));
    }
    Analyzer a = new Analyzer(emits, kinds, notFound);
    analyzers.put(expr, a);
    return a;
  }

  /** Istio's gvk / collection name to the Kubernetes kind meshlint reports. */
  static String kind(String gvk) {
    return switch (gvk) {
      case "KubernetesGateway" -> "Gateway";
      default -> gvk;
    };
  }

  /** The cases of {@code var testGrid = []testCase{...}}, comments removed. */
  static List<Case> parseGrid(String test, Map<String, String> codes) {
    String src = test.replaceAll("(?m)//.*$", "");
    int start = src.indexOf("var testGrid = []testCase{");
    int i = src.indexOf('{', start) + 1;
    List<Case> cases = new ArrayList<>();
    while (true) {
      while (Character.isWhitespace(src.charAt(i)) || src.charAt(i) == ',') {
        i++;
      }
      if (src.charAt(i) == '}') {
        break;
      }
      int end = closing(src, i);
      cases.add(parseCase(src.substring(i + 1, end), codes));
      i = end + 1;
    }
    return cases;
  }

  static int closing(String s, int open) {
    int depth = 0;
    boolean str = false;
    for (int i = open; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (str) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          str = false;
        }
      } else if (ch == '"') {
        str = true;
      } else if (ch == '{') {
        depth++;
      } else if (ch == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced braces");
  }

  static Case parseCase(String body, Map<String, String> codes) {
    String name = group(body, "name:\\s*\"([^\"]*)\"");
    List<String> inputs = new ArrayList<>();
    String files = group(body, "inputFiles:\\s*\\[\\]string\\{([^}]*)}");
    if (files != null) {
      Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(files);
      while (m.find()) {
        inputs.add(m.group(1));
      }
    }
    String analyzer = group(body, "analyzer:\\s*(.+?),\\s*\\n");
    List<Expected> expected = new ArrayList<>();
    int e = body.indexOf("expected:");
    if (e >= 0) {
      int open = body.indexOf('{', e);
      String list = body.substring(open + 1, closing(body, open));
      Matcher m = Pattern.compile("\\{\\s*msg\\.(\\w+)\\s*,\\s*\"([^\"]*)\"\\s*}").matcher(list);
      while (m.find()) {
        expected.add(new Expected(codes.get(m.group(1)), m.group(2)));
      }
    }
    return new Case(name, inputs, group(body, "meshConfigFile:\\s*\"([^\"]*)\""),
        group(body, "meshNetworksFile:\\s*\"([^\"]*)\""), analyzer.strip(), expected);
  }

  static String group(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    return m.find() ? m.group(1) : null;
  }

  /** Tab-separated: case name, code, resource ("Kind ns/name" as Istio writes it), reason; # comments. */
  static List<Departure> readDepartures(Path tsv) throws IOException {
    List<Departure> list = new ArrayList<>();
    for (String line : Files.readAllLines(tsv)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 4) {
        throw new UncheckedIOException(new IOException("departure needs 4 tab-separated fields: " + line));
      }
      list.add(new Departure(f[0], f[1], f[2], f[3]));
    }
    return list;
  }
}
