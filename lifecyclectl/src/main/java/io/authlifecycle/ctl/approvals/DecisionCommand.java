package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.core.approvals.ApprovalSigner;
import io.authlifecycle.core.approvals.ApproverKeyFile;
import io.authlifecycle.ctl.KafkaOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code approve} and {@code deny} share: find the open request, check the key file and the
 * approver's eligibility, sign (requestId, subjectId, approverId, decision, decidedAt) with Ed25519
 * and publish the decision to {@code recovery.approval-decisions.v1}.
 */
abstract class DecisionCommand implements Callable<Integer> {

  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--request", required = true, description = "The recovery request id (see: approvals list).")
  String requestId;

  @Option(names = "--approver", required = true, description = "Your approver id.")
  String approver;

  @Option(names = "--key", required = true, description = "Your key file (from keygen).")
  Path keyFile;

  @Option(names = "--comment", description = "A note kept with the decision; not signed, no secrets.")
  String comment;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--timeout", defaultValue = "PT15S", description = "How long to wait for Kafka (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration timeout;

  DecisionCommand(Clock clock) {
    this.clock = clock;
  }

  abstract Decision decision();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ApproverKeyFile key;
    try {
      key = ApproverKeyFile.read(keyFile);
    } catch (ApproverKeyFile.KeyFileException e) {
      err.println("error: wrong key file: " + e.getMessage());
      return 1;
    }
    if (!key.approverId().equals(approver)) {
      err.println("error: wrong key file: " + keyFile + " belongs to approver " + key.approverId() + ", not " + approver);
      return 1;
    }
    ApprovalRequestBoard board;
    try {
      board = ApprovalTopics.readBoard(kafka, timeout);
    } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
      err.println("error: cannot read approval requests from " + kafka.bootstrap() + ": " + e.getMessage());
      return 1;
    }
    Optional<ApprovalRequested> found = board.find(requestId);
    if (found.isEmpty()) {
      err.println("error: unknown request " + requestId + ": no approval request with that id on the approval-requests topic");
      return 1;
    }
    ApprovalRequested request = found.get();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Optional<String> closed = ApprovalRequestBoard.closedBecause(request, now);
    if (closed.isPresent()) {
      err.println("error: request " + requestId + " takes no more decisions: " + closed.get());
      return 1;
    }
    Optional<String> ineligible = ineligibility(request);
    if (ineligible.isPresent()) {
      err.println("error: " + approver + " may not decide request " + requestId + ": " + ineligible.get());
      return 1;
    }
    ApprovalDecision signed = ApprovalSigner.sign(ApprovalDecision.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setEventTime(now)
        .setRequestId(request.getRequestId())
        .setSubjectId(request.getSubjectId())
        .setApproverId(approver)
        .setDecision(decision())
        .setDecidedAt(now)
        .setComment(comment), key);
    try {
      ApprovalTopics.publish(kafka, signed, timeout);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      err.println("error: the decision was not published to " + kafka.bootstrap() + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println("published " + decision() + " by " + approver + " on request " + requestId
        + " (subject " + request.getSubjectId() + "), decision " + signed.getEventId()
        + "; the recovery worker verifies the signature and audits the outcome");
    return 0;
  }

  private Optional<String> ineligibility(ApprovalRequested request) {
    if (approver.equals(request.getSubjectId())) {
      return Optional.of("you are the subject of the recovery");
    }
    if (approver.equals(request.getRequesterId())) {
      return Optional.of("you made the request");
    }
    if (request.getIneligibleApprovers().contains(approver)) {
      return Optional.of("you are on the subject's own approver list");
    }
    if (decision() == Decision.APPROVE && request.getApprovedBy().contains(approver)) {
      return Optional.of("you already approved it; an approver counts once");
    }
    return Optional.empty();
  }
}
