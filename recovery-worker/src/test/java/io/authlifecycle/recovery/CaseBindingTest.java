package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.AP2;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.decision;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.nonce;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.sign;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approval is bound to its case: it signs the nonce the worker minted when the case opened, is
 * dated between the opening and the deadline, and a request id is never used twice for a subject.
 */
class CaseBindingTest {

  private final TopologyHarness h = RecoveryFixtures.harness(Map.of("recovery.rate-limit.requests", "100"));

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void everyCaseGetsItsOwnUnpredictableNoncePublishedWithItsApprovalRequest() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    String first = nonce(h, SUBJECT, "r-1");
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, decision(h, SUBJECT, "r-1", AP1, Decision.DENY));
    submit(h, helpDesk(h, SUBJECT, "r-2"));

    List<ApprovalRequested> published = h.read(Topics.APPROVAL_REQUESTS);
    assertThat(published).extracting(ApprovalRequested::getNonce).containsOnly(first, nonce(h, SUBJECT, "r-2"));
    assertThat(first).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(nonce(h, SUBJECT, "r-2"));
    assertThat(published).extracting(ApprovalRequested::getOpenedAt).containsOnly(h.now());
  }

  /** Hole 2: approvers pre-signing a request id that does not exist yet. */
  @Test
  void anApprovalSignedBeforeTheCaseOpenedCountsForNothing() {
    known(h, SUBJECT, false);
    ApprovalDecision preSigned = approve(h, SUBJECT, "r-next", AP1);
    submit(h, helpDesk(h, SUBJECT, "r-next"));
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, preSigned);

    AuditEvent forged = only(h.read(Topics.AUDIT), "approval.forged");
    assertThat(forged.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(forged.getReason()).contains("wrong key or altered decision");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    h.advance(Duration.ofDays(1));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  /** Hole 2: decidedAt was checked against the deadline only, not against the case's opening. */
  @Test
  void aDecisionDatedBeforeTheCaseOpenedIsRefusedButClockSkewWithinTheAllowanceCounts() {
    known(h, SUBJECT, true);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    String nonce = nonce(h, SUBJECT, "r-1");
    java.time.Instant openedAt = h.now();
    h.advance(Duration.ofMinutes(10));
    h.read(Topics.AUDIT);

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, sign(h, SUBJECT, "r-1", AP1, Decision.APPROVE, openedAt.minus(Duration.ofHours(1)), nonce));
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, sign(h, SUBJECT, "r-1", AP2, Decision.APPROVE, openedAt.minusSeconds(20), nonce));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("approval.early", "approval.counted");
    AuditEvent early = audits.get(0);
    assertThat(early.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(early.getReason()).isEqualTo("decided at 2026-11-02T08:00:00Z, before the case opened at 2026-11-02T09:00:00Z "
        + "(allowing PT30S of clock skew)");
  }

  /**
   * Hole 2: used ids were remembered only among open cases and the last 16 closed ones, so an old
   * signed APPROVE could be replayed into a new case that reuses the id.
   */
  @Test
  void aRequestIdIsNeverUsedAgainEvenAfterItsCaseLeftTheStateSoAnOldApprovalCannotBeReplayed() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    ApprovalDecision oldApproval = approve(h, SUBJECT, "r-1", AP1);
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, decision(h, SUBJECT, "r-1", AP2, Decision.DENY));
    for (int i = 2; i <= RecoverySubjects.CLOSED_CASES_KEPT + 2; i++) {
      submit(h, helpDesk(h, SUBJECT, "r-" + i));
      h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, decision(h, SUBJECT, "r-" + i, AP2, Decision.DENY));
    }
    RecoverySubject stored = h.<String, RecoverySubject>store("recovery-worker-subjects").get(SUBJECT);
    assertThat(RecoverySubjects.findCase(stored, "r-1")).isEmpty();
    assertThat(stored.getRequestIdCount()).isEqualTo(RecoverySubjects.CLOSED_CASES_KEPT + 2);
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);

    submit(h, reusing("r-1"));
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, ApprovalDecision.newBuilder(oldApproval).setEventId("ad-replayed").build());

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    AuditEvent refused = only(audits, "recovery.refused");
    assertThat(refused.getDetails()).containsEntry("rule", "request-id-reused");
    assertThat(refused.getReason()).contains("request id r-1 was already used for this subject");
    assertThat(only(audits, "approval.unknown-request").getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    h.advance(Duration.ofDays(1));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void aRefusedRequestUsesUpItsIdToo() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    submit(h, helpDesk(h, SUBJECT, "r-2"));
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, decision(h, SUBJECT, "r-1", AP1, Decision.DENY));
    h.read(Topics.AUDIT);

    submit(h, reusing("r-2"));

    assertThat(only(h.read(Topics.AUDIT), "recovery.refused").getDetails()).containsEntry("rule", "request-id-reused");
  }

  /** A new request (its own event id, signed afresh) that reuses an earlier request id. */
  private RecoveryRequest reusing(String requestId) {
    return RequestSigner.sign(RecoveryRequest.newBuilder(helpDesk(h, SUBJECT, requestId)).setEventId("ev-again-" + requestId)
        .setComment("the same id again"), RecoveryFixtures.AGENT_KEY);
  }
}
