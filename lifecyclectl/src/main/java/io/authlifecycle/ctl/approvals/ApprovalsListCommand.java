package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.ctl.KafkaOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code approvals list}: the recovery requests still waiting for signed approvals. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List recovery requests still open for approval (not decided, cancelled or past their deadline).")
public final class ApprovalsListCommand implements Callable<Integer> {

  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--key", description = "Your approver key file: show only requests you may still decide.")
  Path keyFile;

  @Option(names = "--timeout", defaultValue = "PT15S", description = "How long to wait for Kafka (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration timeout;

  public ApprovalsListCommand() {
    this(Clock.systemUTC());
  }

  public ApprovalsListCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Person approver = null;
    if (keyFile != null) {
      try {
        approver = PersonKeyFile.read(keyFile).person();
      } catch (PersonKeyFile.KeyFileException e) {
        spec.commandLine().getErr().println("error: wrong key file: " + e.getMessage());
        return 1;
      }
    }
    ApprovalRequestBoard board;
    try {
      board = ApprovalTopics.readBoard(kafka, timeout);
    } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
      spec.commandLine().getErr().println("error: cannot read approval requests from " + kafka.bootstrap() + ": " + e.getMessage());
      return 1;
    }
    Instant now = clock.instant();
    Person me = approver;
    List<ApprovalRequested> open = board.open(now).stream()
        .filter(r -> me == null || DecisionCommand.ineligibility(r, me, true).isEmpty())
        .toList();
    PrintWriter out = spec.commandLine().getOut();
    if (open.isEmpty()) {
      out.println("no open approval requests");
      return 0;
    }
    String format = "%-24s %-16s %-10s %-9s %-12s %-22s %-10s %-14s %s%n";
    out.printf(format, "REQUEST", "SUBJECT", "PRIVILEGED", "APPROVALS", "APPROVED BY", "DEADLINE", "REQUESTER", "REASON",
        "MAY NOT APPROVE (HR SUBJECTS)");
    for (ApprovalRequested r : open) {
      out.printf(format, r.getRequestId(), r.getSubjectId(), r.getPrivileged() ? "yes" : "no",
          r.getApprovedBy().size() + "/" + r.getQuorum(), r.getApprovedBy().isEmpty() ? "-" : String.join(",", r.getApprovedBy()),
          r.getDeadline(), r.getRequesterId(), r.getReason(), String.join(",", r.getIneligibleApprovers()));
    }
    return 0;
  }
}
