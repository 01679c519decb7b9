package io.meshlint.core.rules.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The label checks written out by hand agree with the regular expressions of Istio's validation. */
class IstioValuesTest {
  private static final String LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern WILDCARD_LABEL = Pattern.compile("\\*|(?:\\*|\\*-)?" + LABEL);
  private static final Pattern NUMERIC = Pattern.compile("[+-]?[0-9]+");

  /** Every string of up to four characters over letters, digits and the characters the checks treat apart. */
  private static List<String> strings() {
    char[] alphabet = {'a', 'Z', '7', '-', '*', '+', '_', 'é'};
    List<String> out = new ArrayList<>(List.of(""));
    List<String> previous = List.of("");
    for (int length = 1; length <= 4; length++) {
      List<String> next = new ArrayList<>();
      for (String s : previous) {
        for (char c : alphabet) {
          next.add(s + c);
        }
      }
      out.addAll(next);
      previous = next;
    }
    out.add("a".repeat(63));
    out.add("a".repeat(64));
    return out;
  }

  @Test
  void labelsAsTheRegularExpressionsRead() {
    for (String s : strings()) {
      assertEquals(s.length() <= 63 && DNS1123_LABEL.matcher(s).matches(), IstioValues.isDns1123Label(s), s);
      String domain = s + ".example.com";
      boolean wildcardOk = s.length() <= 63 && WILDCARD_LABEL.matcher(s).matches();
      assertEquals(wildcardOk, IstioValues.wildcardDomainProblem(domain) == null, domain);
      String topLevel = "example." + s;
      boolean topOk = !s.isEmpty() && !NUMERIC.matcher(s).matches() && s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
      assertEquals(topOk || s.isEmpty(), IstioValues.wildcardDomainProblem(topLevel) == null, topLevel);
    }
  }
}
