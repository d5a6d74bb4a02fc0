package io.authlifecycle.ctl.approvals;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code approvals}: the group of approval-request subcommands ({@code list}). */
@Command(name = "approvals", mixinStandardHelpOptions = true, subcommands = ApprovalsListCommand.class,
    description = "Recovery approval requests.")
public final class ApprovalsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
