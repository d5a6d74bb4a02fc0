package io.authlifecycle.ctl.approvals;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code request}: the help-desk agent's commands on recovery requests ({@code open}). */
@Command(name = "request", mixinStandardHelpOptions = true, subcommands = RequestOpenCommand.class,
    description = "Recovery requests, as a help-desk agent.")
public final class RequestCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
