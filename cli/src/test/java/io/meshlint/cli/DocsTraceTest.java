package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/trace.md stays true: every {@code $ ./meshlint trace ...} block shows what the command
 * prints, run from the repository's root (here one directory up, whose paths the output shows
 * without the {@code ../}).
 */
class DocsTraceTest {
  static final Path DOC = Path.of("../docs/trace.md");

  record Example(List<String> args, String output) {}

  static Stream<Named<Example>> examples() throws IOException {
    List<Named<Example>> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(DOC);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("```console") && lines.get(i + 1).startsWith("$ ./meshlint trace ")) {
        String command = lines.get(i + 1).substring("$ ./meshlint ".length());
        StringBuilder output = new StringBuilder();
        int j = i + 2;
        for (; !lines.get(j).equals("```"); j++) {
          output.append(lines.get(j)).append('\n');
        }
        List<String> args = Arrays.stream(command.split(" "))
            .map(a -> !a.startsWith("-") && Files.exists(Path.of("..", a)) ? "../" + a : a).toList();
        out.add(Named.of(command, new Example(args, output.toString())));
        i = j;
      }
    }
    assertFalse(out.isEmpty(), "no trace examples in " + DOC);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void theDocumentedOutputIsWhatTheCommandPrints(Example example) {
    Cli.Result r = Cli.run(example.args().toArray(String[]::new)).assertNoStackTrace();
    String printed = r.out().replace("../examples/", "examples/").replace("../docs/", "docs/");
    assertEquals(example.output(), printed, "docs/trace.md differs from the output of: meshlint " + String.join(" ", example.args()));
  }
}
