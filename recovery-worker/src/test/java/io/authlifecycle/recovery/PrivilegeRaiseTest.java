package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.AP2;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.bound;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.hr;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.proof;
import static io.authlifecycle.recovery.RecoveryFixtures.request;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subject made privileged while a recovery is open is held to the privileged rules from then on:
 * the quorum rises (a request in its cooling-off goes back to waiting for approvals), and a
 * self-service request is cancelled, since a privileged account may not recover itself.
 */
class PrivilegeRaiseTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aSubjectMadePrivilegedWhileARequestAwaitsApprovalNeedsThePrivilegedQuorum() {
    openHelpDeskRequest();

    promote();

    AuditEvent raised = only(h.read(Topics.AUDIT), "recovery.quorum.raised");
    assertThat(raised.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(raised.getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_RECOVERY);
    assertThat(raised.getCausationId()).isEqualTo("hr-promote");
    assertThat(raised.getDetails()).containsEntry("quorum", "2").containsEntry("previousQuorum", "1");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).singleElement().satisfies(a -> {
      assertThat(a.getStatus()).isEqualTo(ApprovalStatus.OPEN);
      assertThat(a.getQuorum()).isEqualTo(2);
    });

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP1));
    assertThat(actions(h.read(Topics.AUDIT))).doesNotContain("recovery.approved");
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP2));
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.approved");
  }

  @Test
  void aRequestInItsCoolingOffGoesBackToAwaitingApprovalAndIssuesNothingOnOneApproval() {
    openHelpDeskRequest();
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP1));
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.approved");
    drain();

    promote();

    assertThat(only(h.read(Topics.AUDIT), "recovery.quorum.raised").getDetails())
        .containsEntry("approvals", "ap-1").containsEntry("status", "AWAITING_APPROVAL");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.OPEN);
    h.advance(Duration.ofHours(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP2));
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.approved");
    h.advance(Duration.ofHours(24));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction)
        .contains(CommandAction.ISSUE_ENROLLMENT_TICKET);
  }

  @Test
  void aSelfServiceRequestIsCancelledWhenTheSubjectBecomesPrivileged() {
    known(h, SUBJECT, false);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, bound(h, SUBJECT, "otp-1", FactorType.OTP_APP, null));
    submit(h, request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "code-1"), proof(h, EvidenceMethod.BOUND_AUTHENTICATOR, "otp-1")),
        List.of()));
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.requested");
    drain();

    promote();

    AuditEvent cancelled = only(h.read(Topics.AUDIT), "recovery.cancelled");
    assertThat(cancelled.getReason()).contains("self-service").contains("privileged");
    assertThat(cancelled.getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_RECOVERY);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus)
        .containsExactly(ApprovalStatus.CANCELLED);
  }

  @Test
  void aMoveThatKeepsTheSubjectStandardChangesNothing() {
    openHelpDeskRequest();

    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-move", WorkerEventType.MOVER, SUBJECT, h.now(), false));

    assertThat(h.read(Topics.AUDIT)).isEmpty();
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  private void openHelpDeskRequest() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    assertThat(only(h.read(Topics.AUDIT), "recovery.requested").getDetails()).containsEntry("quorum", "1");
    drain();
  }

  private void promote() {
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, WorkerEvent.newBuilder(hr(h, "hr-promote", WorkerEventType.MOVER, SUBJECT,
        h.now(), false)).setRole("domain-admin").setPrivileged(true).build());
  }

  private void drain() {
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
    h.read(Topics.COMMANDS_RECOVERY);
  }
}
