package io.meshlint.cli.report;

import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Location;

/** Wording shared by the report formats. */
final class Describe {
  private Describe() {}

  /** {@code VirtualService dev/calcapp-dev-vs}, or null for problems of the input itself. */
  static String resource(Finding f) {
    return f.resource() == null ? null : f.resource().toString();
  }

  /** {@code file:line}, with the chart template for helm output. */
  static String place(Location at) {
    String place = at.file() + ":" + at.line();
    return at.helmSource() == null ? place : place + " from " + at.helmSource();
  }

  /** The resource and the place, as istioctl puts them in parentheses. */
  static String origin(Finding f) {
    String resource = resource(f);
    return resource == null ? place(f.location()) : resource + " " + place(f.location());
  }
}
