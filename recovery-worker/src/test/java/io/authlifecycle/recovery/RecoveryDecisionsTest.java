package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.AGENT_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.CHANNELS;
import static io.authlifecycle.recovery.RecoveryFixtures.HELP_DESK_AGENT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT_APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.approvals.ApprovalSigner;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions as plain functions: what one input or timer returns, and what it leaves of the stored state. */
class RecoveryDecisionsTest {

  static {
    RecoveryFixtures.load();
  }

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  private static final RecoveryDecisions DECISIONS = new RecoveryDecisions(RecoveryFixtures.rules());

  /** The subject's state after the inputs so far, stored after each step as the processor would. */
  private RecoverySubject stored;

  private Decision<RecoverySubject> decide(Object input, Instant now) {
    Decision<RecoverySubject> out = DECISIONS.decide(stored, SUBJECT, input, now);
    out.state().ifPresent(s -> stored = s);
    return out;
  }

  private Decision<RecoverySubject> fire(String kind, String requestId, Instant now) {
    TimerEntry timer = TimerEntry.newBuilder().setOwner(SUBJECT).setKind(kind).setDueAt(now).setCausationId("cause")
        .setAttributes(requestId == null ? Map.of() : Map.of("requestId", requestId)).build();
    Decision<RecoverySubject> out = DECISIONS.onTimer(stored, timer, now);
    out.state().ifPresent(s -> stored = s);
    return out;
  }

  @Test
  void anAcceptedRequestSchedulesItsDeadlineSendsTheApprovalRequestAuditsAndNotifiesInOneDecision() {
    decide(joiner(), T0);

    Decision<RecoverySubject> out = decide(helpDesk("r-1"), T0);

    assertThat(out.scheduled()).singleElement().satisfies(t -> {
      assertThat(t.getKind()).isEqualTo("recovery.deadline:r-1");
      assertThat(t.getDueAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
      assertThat(t.getCausationId()).isEqualTo("ev-r-1");
    });
    assertThat(out.cancelled()).isEmpty();
    assertThat(out.sent(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.OPEN);
    assertThat(out.auditActions()).containsExactly("recovery.requested", "recovery.subject-notified");
    // A device was reported lost: its push and SMS are left out.
    assertThat(out.notifications()).singleElement().satisfies(n -> assertThat(n.getChannels())
        .isEqualTo(CHANNELS.stream().filter(c -> c != Channel.PUSH && c != Channel.SMS).toList()));
    assertThat(out.commands()).isEmpty();
    assertThat(out.state().orElseThrow().getCases()).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo(RecoveryCaseStatus.AWAITING_APPROVAL));
  }

  @Test
  void aDecisionWorksOnACopyAndLeavesTheStoredRecordAsItWas() {
    decide(joiner(), T0);
    RecoverySubject before = stored;
    RecoverySubject snapshot = RecoverySubject.newBuilder(before).build();

    Decision<RecoverySubject> out = DECISIONS.decide(before, SUBJECT, helpDesk("r-1"), T0);

    assertThat(before).isEqualTo(snapshot);
    assertThat(out.state().orElseThrow()).isNotSameAs(before);
    assertThat(out.state().orElseThrow().getCases()).hasSize(1);
  }

  @Test
  void anInputRememberedByItsBareEventIdByTheEarlierReleaseIsStillADuplicate() {
    decide(joiner(), T0);
    List<String> bare = new java.util.ArrayList<>(stored.getRecentEventIds());
    bare.add("ev-r-1");
    stored = RecoverySubject.newBuilder(stored).setRecentEventIds(bare).build();

    assertThat(decide(helpDesk("r-1"), T0).isEmpty()).isTrue();
  }

  @Test
  void anInputSeenBeforeDecidesNothingAndStoresNothing() {
    decide(joiner(), T0);
    decide(helpDesk("r-1"), T0);

    assertThat(decide(helpDesk("r-1"), T0).isEmpty()).isTrue();
    assertThat(decide(joiner(), T0).isEmpty()).isTrue();
  }

  @Test
  void factsThatOnlySayAFactorWasUsedAreNotTheWorkersConcern() {
    assertThat(RecoveryDecisions.concerns(AuthenticatorUsed.newBuilder().setEventId("u").setEventTime(T0)
        .setSubjectId(SUBJECT).setAuthenticatorId("k").build())).isFalse();
    assertThat(RecoveryDecisions.concerns(joiner())).isTrue();
  }

  @Test
  void reachingTheQuorumCancelsTheDeadlineThenSchedulesTheCoolingOff() {
    decide(joiner(), T0);
    decide(helpDesk("r-1"), T0);

    Decision<RecoverySubject> out = decide(approve("r-1"), T0.plusSeconds(60));

    assertThat(out.timers()).extracting(Decision.TimerChange::kind)
        .containsExactly("recovery.deadline:r-1", "recovery.cooling-off:r-1");
    assertThat(out.cancelled()).containsExactly("recovery.deadline:r-1");
    assertThat(out.scheduled()).singleElement()
        .satisfies(t -> assertThat(t.getDueAt()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofHours(1))));
    assertThat(out.sent(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus)
        .containsExactly(ApprovalStatus.QUORUM_REACHED);
    assertThat(out.auditActions()).containsExactly("approval.counted", "recovery.approved", "recovery.subject-notified");
  }

  @Test
  void aTimerWhoseCaseMovedOnDecidesNothingAndLeavesTheStateUnwritten() {
    decide(joiner(), T0);
    decide(helpDesk("r-1"), T0);
    decide(approve("r-1"), T0);

    assertThat(fire(RecoveryRecords.DEADLINE + "r-1", "r-1", T0.plus(Duration.ofHours(4))).isEmpty()).isTrue();
    assertThat(fire(RecoveryRecords.TICKET_EXPIRY + "r-1", "r-1", T0.plus(Duration.ofHours(4))).isEmpty()).isTrue();
    assertThat(fire(RecoveryRecords.UNLOCK, null, T0).isEmpty()).isTrue();
  }

  @Test
  void aTimerOfAKindTheWorkerNeverSchedulesIsAnError() {
    decide(joiner(), T0);

    assertThatThrownBy(() -> fire("recovery.unheard-of", null, T0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("recovery.unheard-of");
  }

  private static WorkerEvent joiner() {
    return WorkerEvent.newBuilder().setEventId("hr-join").setEventTime(T0).setType(WorkerEventType.JOINER)
        .setSubjectId(SUBJECT).setIdentityType(IdentityType.HUMAN).setRole("engineer").setPrivileged(false)
        .setEffectiveTime(T0).setChannels(CHANNELS).setApprovers(List.of(SUBJECT_APPROVER)).build();
  }

  /** A request signed by the agent, as it arrives from the help-desk topic. */
  private static ReceivedRequest helpDesk(String requestId) {
    return new ReceivedRequest(RecoveryChannel.HELP_DESK, RequestSigner.sign(RecoveryRequest.newBuilder()
        .setEventId("ev-" + requestId).setEventTime(T0).setRequestId(requestId)
        .setKind(RecoveryRequestKind.OPEN).setSubjectId(SUBJECT).setChannel(RecoveryChannel.HELP_DESK)
        .setReason(RecoveryReason.DEVICE_LOST).setRequesterId(HELP_DESK_AGENT)
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING)
            .setReference("proof-1").setLevel(IdentityAssuranceLevel.IAL3).setVerifiedAt(T0).build()))
        .setLostAuthenticatorIds(List.of()), AGENT_KEY));
  }

  /** AP1's approval, signed over the nonce the case got when it opened. */
  private ApprovalDecision approve(String requestId) {
    String nonce = RecoverySubjects.findCase(stored, requestId).orElseThrow().getNonce();
    return ApprovalSigner.sign(ApprovalDecision.newBuilder().setEventId("ad-" + requestId).setEventTime(T0)
        .setRequestId(requestId).setSubjectId(SUBJECT).setApproverId(AP1.personId())
        .setDecision(io.authlifecycle.avro.Decision.APPROVE).setDecidedAt(T0), nonce, AP1);
  }
}
