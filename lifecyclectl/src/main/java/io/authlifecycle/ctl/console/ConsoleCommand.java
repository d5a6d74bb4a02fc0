package io.authlifecycle.ctl.console;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code console}: operator tasks of the approver console. */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Operator tasks of the approver console.",
    subcommands = {EnrollLinkCommand.class})
public final class ConsoleCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
