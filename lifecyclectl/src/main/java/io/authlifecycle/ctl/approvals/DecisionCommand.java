package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.core.approvals.ApprovalSigner;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.topics.Topics;
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
 * approver's eligibility (by HR subject, as the recovery worker does), sign (requestId, subjectId,
 * case nonce, approverId, decision, decidedAt) with the approver's key and publish the decision to
 * {@code recovery.approval-decisions.v1}.
 */
abstract class DecisionCommand implements Callable<Integer> {

  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--request", required = true, description = "The recovery request id (see: approvals list).")
  String requestId;

  @Option(names = "--key", required = true, description = "Your approver key file (from keygen); you sign as its person.")
  Path keyFile;

  @Option(names = "--approver", description = "Your person id, checked against the key file (optional).")
  String approver;

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
    PersonKeyFile key;
    try {
      key = PersonKeyFile.read(keyFile);
    } catch (PersonKeyFile.KeyFileException e) {
      err.println("error: wrong key file: " + e.getMessage());
      return 1;
    }
    if (approver != null && !key.personId().equals(approver)) {
      err.println("error: wrong key file: " + keyFile + " belongs to " + key.personId() + ", not " + approver);
      return 1;
    }
    if (!key.roles().contains(Role.APPROVER)) {
      err.println("error: wrong key file: " + keyFile + " is a " + key.roles() + " key of " + key.personId()
          + ", not an approver's key");
      return 1;
    }
    String approver = key.personId();
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
    Optional<String> ineligible = ineligibility(request, key.person());
    if (ineligible.isPresent()) {
      err.println("error: " + approver + " may not decide request " + requestId + ": " + ineligible.get());
      return 1;
    }
    if (request.getNonce() == null) {
      err.println("error: request " + requestId + " was opened before approvals were bound to their case and takes "
          + "no signed decision");
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
        .setComment(comment), request.getNonce(), key);
    try {
      ApprovalTopics.publish(kafka, Topics.APPROVAL_DECISIONS, signed.getSubjectId(), signed, timeout);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      err.println("error: the decision was not published to " + kafka.bootstrap() + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println("published " + decision() + " by " + approver + " on request " + requestId
        + " (subject " + request.getSubjectId() + "), decision " + signed.getEventId()
        + "; the recovery worker verifies the signature and audits the outcome");
    return 0;
  }

  /** Why this person may not decide, or empty: the worker's rules, on the key's HR subject. */
  static Optional<String> ineligibility(ApprovalRequested request, Person person, boolean approving) {
    if (person.hrSubjectId().equals(request.getSubjectId())) {
      return Optional.of("you are the subject of the recovery");
    }
    if (person.hrSubjectId().equals(request.getRequesterSubjectId()) || person.personId().equals(request.getRequesterId())) {
      return Optional.of("you made the request");
    }
    if (request.getIneligibleApprovers().contains(person.hrSubjectId())) {
      return Optional.of("you are on the subject's own approver list");
    }
    if (approving && request.getApprovedBy().contains(person.personId())) {
      return Optional.of("you already approved it; a person counts once");
    }
    return Optional.empty();
  }

  private Optional<String> ineligibility(ApprovalRequested request, Person person) {
    return ineligibility(request, person, decision() == Decision.APPROVE);
  }
}
