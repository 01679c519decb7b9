package io.meshlint.cli;

import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print meshlint's version.")
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("meshlint " + Main.version());
  }
}
