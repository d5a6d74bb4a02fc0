package io.authlifecycle.ctl;

import io.authlifecycle.ctl.approvals.ApprovalsCommand;
import io.authlifecycle.ctl.approvals.ApproveCommand;
import io.authlifecycle.ctl.approvals.DenyCommand;
import io.authlifecycle.ctl.approvals.KeyEntryCommand;
import io.authlifecycle.ctl.approvals.KeygenCommand;
import io.authlifecycle.ctl.approvals.RequestCommand;
import io.authlifecycle.ctl.console.ConsoleCommand;
import io.authlifecycle.ctl.ops.AuditVerifyCommand;
import io.authlifecycle.ctl.ops.DlqCommand;
import io.authlifecycle.ctl.ops.InspectCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator CLI: {@code lifecyclectl <subcommand>}. */
@Command(name = "lifecyclectl", mixinStandardHelpOptions = true, version = "lifecyclectl 0.1.0",
    description = "Operator tools for authenticator lifecycle automation on Kafka.",
    // A new subcommand is one more class in this list.
    subcommands = {
        ProduceCommand.class,
        ConsumeCommand.class,
        AuditVerifyCommand.Group.class,
        InspectCommand.class,
        DlqCommand.class,
        KeygenCommand.class,
        KeyEntryCommand.class,
        RequestCommand.class,
        ApprovalsCommand.class,
        ApproveCommand.class,
        DenyCommand.class,
        ConsoleCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class LifecycleCtl implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with this tool's error handling; tests drive it with their own out / err writers. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LifecycleCtl());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      PrintWriter err = commandLine.getErr();
      err.println(commandLine.getCommandName() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      err.flush();
      return 1;
    });
    return cli;
  }

  public static void main(String[] args) {
    // Before anything logs: warnings on standard error, standard output stays JSON lines.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "lifecyclectl-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }
}
