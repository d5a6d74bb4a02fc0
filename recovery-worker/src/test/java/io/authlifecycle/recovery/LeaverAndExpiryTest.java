package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.AP2;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.hr;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decision 8: a leaver cancels what is open; a request past its deadline expires, audited, the subject told. */
class LeaverAndExpiryTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @BeforeEach
  void openRequest() {
    known(h, ADMIN, true);
    submit(h, helpDesk(h, ADMIN, "r-1"));
    drain();
  }

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void anImmediateLeaverCancelsTheOpenRequest() {
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, hr(h, "hr-leave", WorkerEventType.LEAVER, ADMIN, h.now(), true));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.cancelled", "recovery.subject-notified");
    AuditEvent cancelled = audits.get(0);
    assertThat(cancelled.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(cancelled.getOutcome()).isEqualTo(AuditOutcome.CANCELLED);
    assertThat(cancelled.getPolicyRef()).isEqualTo(PolicyRefs.INVALIDATION);
    assertThat(cancelled.getReason()).isEqualTo("leaver (termination effective)");
    assertThat(cancelled.getCausationId()).isEqualTo("hr-leave");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.CANCELLED);
  }

  @Test
  void aFutureDatedLeaverCancelsTheRequestInItsCoolingOffSoNoTicketIsIssued() {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    drain();

    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, hr(h, "hr-leave", WorkerEventType.LEAVER, ADMIN, h.now().plus(Duration.ofDays(30)), false));

    AuditEvent cancelled = only(h.read(Topics.AUDIT), "recovery.cancelled");
    assertThat(cancelled.getReason()).isEqualTo("leaver (termination scheduled for 2026-12-02T09:00:00Z)");
    h.advance(Duration.ofDays(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void becomingAServiceIdentityWhileARequestIsOpenCancelsIt() {
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, WorkerEvent.newBuilder(hr(h, "hr-move", WorkerEventType.MOVER, ADMIN, h.now(), false))
        .setIdentityType(IdentityType.SERVICE).setPrivileged(true).build());

    assertThat(only(h.read(Topics.AUDIT), "recovery.cancelled").getReason())
        .isEqualTo("subject is no longer eligible (SERVICE_IDENTITY)");
  }

  @Test
  void aMoverThatKeepsTheSubjectEligibleLeavesTheRequestOpen() {
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, WorkerEvent.newBuilder(hr(h, "hr-move", WorkerEventType.MOVER, ADMIN, h.now(), false))
        .setPrivileged(true).build());

    assertThat(h.read(Topics.AUDIT)).isEmpty();
  }

  @Test
  void aRequestWithoutQuorumByTheDeadlineExpiresAndTheSubjectIsTold() {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    drain();

    h.advance(Duration.ofHours(4).minusSeconds(1));
    assertThat(h.read(Topics.AUDIT)).isEmpty();
    h.advance(Duration.ofSeconds(1));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.expired", "recovery.subject-notified");
    AuditEvent expired = audits.get(0);
    assertThat(expired.getOutcome()).isEqualTo(AuditOutcome.EXPIRED);
    assertThat(expired.getReason()).isEqualTo("1 of 2 approvals before the deadline 2026-11-02T13:00:00Z");
    assertThat(expired.getDetails()).containsEntry("approvals", "ap-1");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.EXPIRED);
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("recovery.expired");
  }

  @Test
  void quorumBeforeTheDeadlineStopsTheExpiry() {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    drain();

    h.advance(Duration.ofHours(5));

    assertThat(h.read(Topics.AUDIT)).isEmpty();
  }

  @Test
  void anHrEventOlderThanTheLastOneAppliedDoesNotUndoAnything() {
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, hr(h, "hr-leave", WorkerEventType.LEAVER, ADMIN, h.now(), true));
    drain();
    WorkerEvent staleRehire = WorkerEvent.newBuilder(RecoveryFixtures.joiner(h, ADMIN, true)).setEventId("hr-old")
        .setType(WorkerEventType.REHIRE).setEventTime(h.now().minus(Duration.ofDays(1))).build();
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, staleRehire);

    submit(h, helpDesk(h, ADMIN, "r-2"));

    assertThat(only(h.read(Topics.AUDIT), "recovery.refused").getDetails()).containsEntry("rule", "terminated");
  }

  private void drain() {
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
  }
}
