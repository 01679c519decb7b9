package io.meshlint.core.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One request to follow: what {@code meshlint trace} reads from {@code --url}, {@code --method},
 * {@code --header} and {@code --from}.
 *
 * @param scheme {@code http}, {@code https} (TLS with SNI {@code host}) or {@code tcp}
 * @param host lower case, as written in the URL
 * @param path the path with its query string; "/" for TCP
 * @param headers header names lower case, in the order given
 */
public record Request(String method, String scheme, String host, int port, String path, Map<String, String> headers,
    Source from) {
  /** DNS labels, with the underscores of Istio's cluster SNIs and the asterisk of nothing else. */
  private static final Pattern HOST = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

  public Request {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * Reads the options as the command line gives them; a malformed value is an
   * {@link IllegalArgumentException} whose message names it.
   *
   * @param headers {@code NAME:VALUE} each
   */
  public static Request parse(String url, String method, List<String> headers, String from) {
    int sep = url.indexOf("://");
    String scheme = sep < 0 ? "" : url.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("tcp")) {
      throw new IllegalArgumentException("--url " + url + ": expected http://HOST[:PORT]/PATH, https://HOST[:PORT]/PATH or tcp://HOST:PORT");
    }
    // Parsed by hand: SNI names such as outbound_.80_._.reviews.default.svc.cluster.local are no URI hosts.
    String rest = url.substring(sep + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(c);
      end = at >= 0 ? Math.min(end, at) : end;
    }
    String authority = rest.substring(0, end);
    String target = rest.substring(end);
    int colon = authority.lastIndexOf(':');
    String host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("--url " + url + ": expected a host name after " + scheme + "://");
    }
    int port;
    if (colon >= 0) {
      try {
        port = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--url " + url + ": the port must be a number from 1 to 65535");
      }
    } else if (scheme.equals("tcp")) {
      throw new IllegalArgumentException("--url " + url + ": a tcp:// URL needs a port");
    } else {
      port = scheme.equals("https") ? 443 : 80;
    }
    int fragment = target.indexOf('#');
    target = fragment >= 0 ? target.substring(0, fragment) : target;
    String path = scheme.equals("tcp") ? "/" : target.isEmpty() ? "/" : target.startsWith("?") ? "/" + target : target;
    Map<String, String> headerMap = new LinkedHashMap<>();
    for (String header : headers) {
      int nameEnd = header.indexOf(':');
      String name = nameEnd <= 0 ? "" : header.substring(0, nameEnd).trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("--header " + header + ": expected NAME:VALUE");
      }
      if (name.equals("host") || name.startsWith(":")) {
        throw new IllegalArgumentException("--header " + header + ": the host, port and path come from --url");
      }
      String value = header.substring(nameEnd + 1).trim();
      headerMap.merge(name, value, (a, b) -> a + "," + b);
    }
    String m = method == null || method.isBlank() ? "GET" : method.trim().toUpperCase(Locale.ROOT);
    return new Request(m, scheme, host, port, path, headerMap, Source.parse(from));
  }

  /** The path without its query string: what exact and regex URI matches and authorization paths compare. */
  public String pathOnly() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** The query parameters, the first value of each; names and values as written. */
  public Map<String, String> query() {
    int q = path.indexOf('?');
    Map<String, String> out = new LinkedHashMap<>();
    if (q < 0) {
      return out;
    }
    for (String pair : path.substring(q + 1).split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        out.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return out;
  }

  /** The {@code :authority} a client sends: the host, with the port unless it is the scheme's default. */
  public String authority() {
    boolean defaultPort = (scheme.equals("https") && port == 443) || (!scheme.equals("https") && port == 80);
    return defaultPort ? host : host + ":" + port;
  }

  public boolean isTcp() {
    return scheme.equals("tcp");
  }

  public boolean isTls() {
    return scheme.equals("https");
  }

  /** This request with another path and authority host, as a rewrite leaves it. */
  Request rewritten(String newHost, String newPath) {
    return new Request(method, scheme, newHost, port, newPath, headers, from);
  }

  /** This request arriving on another port (the destination port of the route that forwarded it). */
  Request onPort(int newPort) {
    return new Request(method, scheme, host, newPort, path, headers, from);
  }

  /** How the request reads in one line: {@code GET http://host/path}. */
  public String describe() {
    String target = scheme + "://" + authority() + (isTcp() ? "" : path);
    return isTcp() ? target : method + " " + target;
  }

  /**
   * Where a request starts: {@code gateway} (the Gateway whose server exposes the host and port),
   * {@code gateway:NS/NAME}, {@code workload:NS/NAME} or {@code namespace:NS}.
   */
  public record Source(Kind kind, String namespace, String name) {
    public enum Kind { GATEWAY, WORKLOAD, NAMESPACE }

    public static Source parse(String value) {
      String v = value == null || value.isBlank() ? "gateway" : value.trim();
      if (v.equals("gateway")) {
        return new Source(Kind.GATEWAY, null, null);
      }
      int colon = v.indexOf(':');
      String kind = colon < 0 ? v : v.substring(0, colon);
      String rest = colon < 0 ? "" : v.substring(colon + 1);
      int slash = rest.indexOf('/');
      switch (kind) {
        case "gateway", "workload" -> {
          if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("--from " + value + ": expected " + kind + ":NAMESPACE/NAME");
          }
          return new Source(kind.equals("gateway") ? Kind.GATEWAY : Kind.WORKLOAD, rest.substring(0, slash),
              rest.substring(slash + 1));
        }
        case "namespace" -> {
          if (rest.isEmpty() || slash >= 0) {
            throw new IllegalArgumentException("--from " + value + ": expected namespace:NAMESPACE");
          }
          return new Source(Kind.NAMESPACE, rest, null);
        }
        default -> throw new IllegalArgumentException(
            "--from " + value + ": expected gateway, gateway:NS/NAME, workload:NS/NAME or namespace:NS");
      }
    }

    /** True for {@code gateway} without a name: the Gateway is found by the host and port. */
    public boolean anyGateway() {
      return kind == Kind.GATEWAY && name == null;
    }
  }
}
