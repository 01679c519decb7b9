package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command, found by walking the command tree, answers --help and -h with its usage and status 0. */
class HelpTest {
  static Stream<List<String>> commands() {
    List<List<String>> found = new ArrayList<>();
    walk(new CommandLine(new Main()), new ArrayList<>(), found);
    assertTrue(found.size() >= 8, "commands found: " + found);
    return found.stream();
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> found) {
    found.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      // each command once, under its name rather than its aliases
      if (name.equals(sub.getCommandName())) {
        List<String> longer = new ArrayList<>(path);
        longer.add(name);
        walk(sub, longer, found);
      }
    });
  }

  @ParameterizedTest(name = "meshlint {0}")
  @MethodSource("commands")
  void answersHelpWithUsageAndStatusZero(List<String> command) {
    for (String flag : List.of("--help", "-h")) {
      List<String> args = new ArrayList<>(command);
      args.add(flag);
      Cli.Result r = Cli.run(args.toArray(String[]::new)).assertNoStackTrace();
      String usage = "Usage: " + String.join(" ", Stream.concat(Stream.of("meshlint"), command.stream()).toList());
      assertEquals(0, r.status(), args + ": " + r.err());
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(usage)), args + " prints its usage on standard output:\n" + r.out());
      assertEquals("", r.err(), args + " writes nothing to standard error");
    }
  }
}
