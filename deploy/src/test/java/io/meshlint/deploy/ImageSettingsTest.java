package io.meshlint.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.deploy.Chart.Rendered;
import io.meshlint.webhook.Main;
import io.meshlint.webhook.Metrics;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * The Dockerfile, the webhook's Jib profile and the chart agree on the base image, the user, the
 * ports, the JVM flags and the entrypoint; the chart's arguments are options the webhook accepts;
 * the dashboard charts metrics the webhook exports.
 */
class ImageSettingsTest {
  record Dockerfile(String runtimeBase, String user, Set<Integer> ports, List<String> entrypoint) {
    static Dockerfile read() throws Exception {
      String base = null;
      String user = null;
      Set<Integer> ports = new LinkedHashSet<>();
      List<String> entrypoint = null;
      for (String line : Files.readAllLines(Chart.ROOT.resolve("deploy/docker/Dockerfile"))) {
        String l = line.trim();
        if (l.startsWith("FROM ")) {
          base = l.substring(5).trim().split("\\s+")[0];
        } else if (l.startsWith("USER ")) {
          user = l.substring(5).trim();
        } else if (l.startsWith("EXPOSE ")) {
          for (String p : l.substring(7).trim().split("\\s+")) {
            ports.add(Integer.parseInt(p.replace("/tcp", "")));
          }
        } else if (l.startsWith("ENTRYPOINT ")) {
          entrypoint = new ArrayList<>();
          for (JsonNode n : new ObjectMapper().readTree(l.substring(11))) {
            entrypoint.add(n.asText());
          }
        }
      }
      return new Dockerfile(base, user, ports, entrypoint);
    }

    List<String> jvmFlags() {
      return entrypoint.subList(1, entrypoint.indexOf("-jar"));
    }
  }

  @Test
  void dockerfileJibAndChartAgree() throws Exception {
    Dockerfile docker = Dockerfile.read();
    Element jib = jibConfiguration();
    Rendered r = Chart.render();
    JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    // user: Dockerfile USER, Jib container.user, the chart's runAsUser/runAsGroup
    assertEquals(docker.user(), text(jib, "container/user"));
    String[] uidGid = docker.user().split(":");
    assertEquals(Integer.parseInt(uidGid[0]), container.path("securityContext").path("runAsUser").asInt());
    assertEquals(Integer.parseInt(uidGid[1]), container.path("securityContext").path("runAsGroup").asInt());
    assertEquals(Integer.parseInt(uidGid[0]), pod.path("securityContext").path("runAsUser").asInt());
    assertTrue(Integer.parseInt(uidGid[0]) > 0, "non-root");

    // base image
    assertEquals(docker.runtimeBase(), text(jib, "from/image"));

    // ports: EXPOSE, Jib container.ports, the chart's containerPorts and the webhook's options
    Set<Integer> jibPorts = new TreeSet<>();
    for (String p : texts(jib, "container/ports/port")) {
      jibPorts.add(Integer.parseInt(p));
    }
    Set<Integer> chartPorts = new TreeSet<>();
    container.path("ports").forEach(p -> chartPorts.add(p.path("containerPort").asInt()));
    assertEquals(new TreeSet<>(docker.ports()), jibPorts);
    assertEquals(new TreeSet<>(docker.ports()), chartPorts);

    // entrypoint: the image runs the webhook; the chart gives only its options
    assertFalse(container.has("command"), "the chart must not replace the image's entrypoint");
    assertEquals("-jar", docker.entrypoint().get(docker.entrypoint().size() - 2));
    assertTrue(docker.entrypoint().get(docker.entrypoint().size() - 1).endsWith("/meshlint-webhook.jar"));
    assertEquals(docker.jvmFlags(), texts(jib, "container/jvmFlags/jvmFlag"));
    assertEquals(Main.class.getName(), text(jib, "container/mainClass"));
    assertTrue(Files.readString(Chart.ROOT.resolve("webhook/pom.xml"))
        .contains("<mainClass>" + Main.class.getName() + "</mainClass>"), "the shaded jar's Main-Class");

    // the chart's arguments parse as the webhook's options, with the ports the pod exposes
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    int https = parsed.matchedOptionValue("--port", -1);
    int metrics = parsed.matchedOptionValue("--metrics-port", -1);
    assertEquals(portNamed(container, "https"), https);
    assertEquals(portNamed(container, "metrics"), metrics);
    assertFalse(parsed.hasMatchedOption("--state"), "by default the webhook reads the cluster, not --state");
    assertTrue(parsed.hasMatchedOption("--config"));
    for (String path : List.of("--tls-cert", "--tls-key", "--config")) {
      String value = parsed.matchedOptionValue(path, (java.nio.file.Path) null).toString();
      assertTrue(ChartTest.mountPaths(container).stream().anyMatch(value::startsWith), path + " is on a mounted volume");
    }
  }

  @Test
  void dashboardChartsMetricsTheWebhookExportsAndItsDocsName() throws Exception {
    Metrics metrics = new Metrics();
    metrics.request("CREATE", "VirtualService", "deny", 1_000_000);
    metrics.finding("IST0101", io.meshlint.webhook.Enforcement.DENY);
    metrics.rejected("malformed");
    metrics.certificateReload(true);
    metrics.state(1, true);
    String scrape = metrics.scrape();
    String docs = Files.readString(Chart.ROOT.resolve("docs/webhook.md"));
    String dashboard = Files.readString(Chart.CHART.resolve("dashboards/meshlint-webhook.json"));
    new ObjectMapper().readTree(dashboard);
    Matcher m = Pattern.compile("meshlint_webhook_[a-z_]+").matcher(dashboard);
    Set<String> used = new TreeSet<>();
    while (m.find()) {
      used.add(m.group());
    }
    assertTrue(used.size() >= 6, used::toString);
    for (String name : used) {
      assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find(),
          () -> name + " is not exported by the webhook:\n" + scrape);
      String base = name.replaceAll("_(bucket|count|sum)$", "");
      assertTrue(docs.contains(base), () -> base + " is not in the metrics list of docs/webhook.md");
    }
  }

  private static int portNamed(JsonNode container, String name) {
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no port " + name);
  }

  /** The configuration of jib-maven-plugin in the webhook's "image" profile. */
  private static Element jibConfiguration() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Chart.ROOT.resolve("webhook/pom.xml").toFile());
    NodeList profiles = pom.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if (!text(profile, "id").equals("image")) {
        continue;
      }
      NodeList plugins = profile.getElementsByTagName("plugin");
      for (int j = 0; j < plugins.getLength(); j++) {
        Element plugin = (Element) plugins.item(j);
        if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
          assertEquals("com.google.cloud.tools", text(plugin, "groupId"));
          assertEquals("3.5.2", text(plugin, "version"));
          return child(plugin, "configuration");
        }
      }
    }
    throw new AssertionError("webhook/pom.xml has no profile \"image\" with jib-maven-plugin");
  }

  private static Element child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static List<String> texts(Element e, String path) {
    String[] parts = path.split("/");
    List<Element> level = List.of(e);
    for (String part : parts) {
      List<Element> next = new ArrayList<>();
      for (Element l : level) {
        for (Node n = l.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element c && c.getTagName().equals(part)) {
            next.add(c);
          }
        }
      }
      level = next;
    }
    return level.stream().map(x -> x.getTextContent().trim()).toList();
  }

  private static String text(Element e, String path) {
    List<String> t = texts(e, path);
    return t.isEmpty() ? "" : t.get(0);
  }
}
