package io.authlifecycle.leaver;

import static io.authlifecycle.leaver.LeaverFixtures.ALICE;
import static io.authlifecycle.leaver.LeaverFixtures.applied;
import static io.authlifecycle.leaver.LeaverFixtures.bound;
import static io.authlifecycle.leaver.LeaverFixtures.commandId;
import static io.authlifecycle.leaver.LeaverFixtures.failed;
import static io.authlifecycle.leaver.LeaverFixtures.hr;
import static io.authlifecycle.leaver.LeaverFixtures.immediateLeaver;
import static io.authlifecycle.leaver.LeaverFixtures.leaver;
import static io.authlifecycle.leaver.LeaverFixtures.rehire;
import static io.authlifecycle.leaver.LeaverFixtures.revoked;
import static io.authlifecycle.leaver.LeaverFixtures.withServiceIdentities;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RevokeScope;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LeaverDecisionsTest {

  static {
    LeaverFixtures.load();
  }

  static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  static final Duration DEADLINE = Duration.ofMinutes(5);
  static final LeaverDecisions DECISIONS = LeaverDecisions.from(WorkerContext.forTest(LeaverFixtures.WORKER,
      LeaverSettings.ALL, Map.of("leaver.confirmation-deadline", "5m")));
  static final String PR_AA_01 = "NIST CSF 2.0 PR.AA-01";
  static final String INVALIDATION = "NIST SP 800-63B-4 4.5";

  /** The case after the given inputs, decided at {@code now}, stored after each step. */
  private LeaverCaseState stored;

  private Decision<LeaverCaseState> decide(Object input, Instant now) {
    Decision<LeaverCaseState> out = DECISIONS.decide(stored, ALICE, input, now);
    out.state().ifPresent(s -> stored = s);
    return out;
  }

  private Decision<LeaverCaseState> fire(String kind, String causationId, Instant now) {
    TimerEntry timer = TimerEntry.newBuilder().setOwner(ALICE).setKind(kind).setDueAt(now)
        .setCausationId(causationId).build();
    Decision<LeaverCaseState> out = DECISIONS.onTimer(stored, timer, now);
    out.state().ifPresent(s -> stored = s);
    return out;
  }

  private static Decision.Schedule schedule(String kind, Instant dueAt, String causationId, String correlationId) {
    return new Decision.Schedule(TimerEntry.newBuilder().setOwner(ALICE).setKind(kind).setDueAt(dueAt)
        .setCausationId(causationId).setCorrelationId(correlationId).build());
  }

  private static Decision.Cancel cancel(String kind) {
    return new Decision.Cancel(ALICE, kind);
  }

  /** Fills the fields the audit writer would, so a draft compares as a whole record. */
  private static AuditEvent sealed(AuditEvent.Builder draft) {
    return AuditEvent.newBuilder(draft).setEventId("-").setEventTime(T0).setWorker("-").setSequence(0)
        .setPrevHash("-").setHash("-").build();
  }

  private static AuditEvent expectedAudit(String action, AuditOutcome outcome, Severity severity, String reason,
      String causationId, String correlationId, List<String> commandIds, Map<String, String> details) {
    return sealed(AuditEvent.newBuilder().setSubjectId(ALICE).setAction(action).setOutcome(outcome)
        .setSeverity(severity).setReason(reason).setPolicyRef(INVALIDATION).setControlRefs(List.of(PR_AA_01))
        .setCausationId(causationId).setCorrelationId(correlationId).setCommandIds(commandIds).setDetails(details));
  }

  private static List<AuditEvent> audits(Decision<LeaverCaseState> out) {
    return out.audits().stream().map(LeaverDecisionsTest::sealed).toList();
  }

  private static AuthenticatorCommand expectedCommand(CommandAction action, String causationId, Instant causationTime,
      String correlationId, String discriminator, String reason, Instant now) {
    AuthenticatorCommand.Builder b = AuthenticatorCommand.newBuilder()
        .setCommandId(commandId(causationId, action, discriminator)).setEventTime(now).setCausationId(causationId)
        .setCausationTime(causationTime).setCorrelationId(correlationId).setSubjectId(ALICE).setAction(action)
        .setReason(reason).setPolicyRef(INVALIDATION).setIssuedBy(LeaverFixtures.WORKER);
    if (action == CommandAction.REVOKE_ALL) {
      b.setRevokeScope(new RevokeScope(true, true, true));
    }
    return b.build();
  }

  @Nested
  class EffectiveLeaver {

    @Test
    void revokesEverythingAndEndsSessionsWhenTheEffectiveTimeHasCome() {
      decide(hr("hr-1", WorkerEventType.JOINER, T0, T0), T0);
      Instant now = T0.plusSeconds(60);

      Decision<LeaverCaseState> out = decide(leaver("hr-2", now, now.minusSeconds(30)), now);

      String correlation = "leaver:alice:hr-2";
      String reason = "leaver effective: revoke everything";
      assertThat(out.commands()).containsExactly(
          expectedCommand(CommandAction.REVOKE_ALL, "hr-2", now, correlation, "initial", reason, now),
          expectedCommand(CommandAction.TERMINATE_SESSIONS, "hr-2", now, correlation, "initial", reason, now));
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.revocation.requested", AuditOutcome.REQUESTED,
          Severity.INFO, reason, "hr-2", correlation,
          List.of(commandId("hr-2", CommandAction.REVOKE_ALL, "initial"),
              commandId("hr-2", CommandAction.TERMINATE_SESSIONS, "initial")),
          Map.of("effectiveTime", now.minusSeconds(30).toString(), "immediate", "false", "forCause", "false",
              "subjectKnown", "true", "knownActiveFactors", "0", "revokeScope", "factors,backupCodes,openTickets")));
      assertThat(out.timers()).containsExactly(
          schedule(LeaverDecisions.DEADLINE_TIMER, now.plus(DEADLINE), "hr-2", correlation));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.TERMINATED);
      assertThat(stored.getTerminatedAt()).isEqualTo(now);
    }

    @Test
    void anImmediateLeaverDatedInTheFutureIsRevokedAtOnce() {
      Decision<LeaverCaseState> out = decide(immediateLeaver("hr-2", T0, T0.plus(Duration.ofDays(14)), false), T0);

      assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
      assertThat(out.commands()).extracting(AuthenticatorCommand::getCausationTime).containsOnly(T0);
      assertThat(out.commands().get(0).getReason()).isEqualTo("immediate leaver: revoke everything at once");
      assertThat(out.timers()).extracting(Decision.TimerChange::kind).containsExactly(LeaverDecisions.DEADLINE_TIMER);
    }

    @Test
    void aLeaverForCauseIsRevokedAtOnceAndAuditedAtMediumSeverity() {
      decide(hr("hr-1", WorkerEventType.JOINER, T0, T0), T0);

      Decision<LeaverCaseState> out = decide(immediateLeaver("hr-2", T0, T0.plus(Duration.ofDays(3)), true), T0);

      assertThat(out.commands()).hasSize(2);
      assertThat(audits(out).get(0).getSeverity()).isEqualTo(Severity.MEDIUM);
      assertThat(audits(out).get(0).getReason()).isEqualTo("leaver for cause: revoke everything at once");
      assertThat(audits(out).get(0).getDetails()).containsEntry("forCause", "true");
    }

    @Test
    void aLeaverForASubjectNeverSeenIsStillRevokedAndFlagged() {
      Decision<LeaverCaseState> out = decide(leaver("hr-2", T0, T0), T0);

      assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
      AuditEvent audit = audits(out).get(0);
      assertThat(audit.getSeverity()).isEqualTo(Severity.MEDIUM);
      assertThat(audit.getReason()).isEqualTo(
          "leaver effective: revoke everything (a subject never seen before is revoked all the same)");
      assertThat(audit.getDetails()).containsEntry("subjectKnown", "false");
    }

    @Test
    void everyKnownActiveFactorIsAwaitedForConfirmation() {
      decide(bound("f-1", "a-1", T0), T0);
      decide(bound("f-2", "a-2", T0), T0);
      decide(revoked("f-3", "a-2", T0), T0);

      Decision<LeaverCaseState> out = decide(leaver("hr-2", T0, T0), T0);

      assertThat(audits(out).get(0).getDetails()).containsEntry("knownActiveFactors", "1");
      assertThat(stored.getRevocation().getPendingAuthenticatorIds()).containsExactly("a-1");
    }

    @Test
    void namesEveryOwnedServiceIdentitySeenInAnyHrEventOfTheSubject() {
      decide(withServiceIdentities(hr("hr-1", WorkerEventType.JOINER, T0, T0), "svc-build"), T0);
      decide(withServiceIdentities(hr("hr-2", WorkerEventType.MOVER, T0, T0), "svc-build", "svc-deploy"), T0);

      Decision<LeaverCaseState> out = decide(withServiceIdentities(leaver("hr-3", T0, T0), "svc-reports"), T0);

      List<AuditEvent> nhi = audits(out).stream().filter(a -> a.getAction().equals("nhi.owner.left")).toList();
      assertThat(nhi).extracting(a -> a.getDetails().get("serviceIdentity"))
          .containsExactly("svc-build", "svc-deploy", "svc-reports");
      assertThat(nhi.get(0)).isEqualTo(sealed(AuditEvent.newBuilder().setSubjectId(ALICE).setAction("nhi.owner.left")
          .setOutcome(AuditOutcome.ESCALATED).setSeverity(Severity.MEDIUM)
          .setReason("the owner of service identity svc-build left: transfer its ownership and rotate its "
              + "credentials, or decommission it")
          .setPolicyRef("OWASP NHI1:2025 Improper Offboarding").setControlRefs(List.of(PR_AA_01))
          .setCausationId("hr-3").setCorrelationId("leaver:alice:hr-3")
          .setDetails(Map.of("serviceIdentity", "svc-build"))));
    }

    @Test
    void aLeaverForAnAlreadyTerminatedSubjectIsRecordedWithoutNewCommands() {
      decide(leaver("hr-2", T0, T0), T0);

      Decision<LeaverCaseState> out = decide(leaver("hr-3", T0.plusSeconds(5), T0), T0.plusSeconds(5));

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).isEmpty();
      assertThat(audits(out)).extracting(AuditEvent::getAction, AuditEvent::getOutcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.already.terminated", AuditOutcome.RECORDED));
    }
  }

  @Nested
  class FutureDatedLeaver {

    final Instant effective = T0.plus(Duration.ofDays(7));

    @Test
    void isScheduledForItsEffectiveTimeAndAudited() {
      Decision<LeaverCaseState> out = decide(leaver("hr-2", T0, effective), T0);

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).containsExactly(
          schedule(LeaverDecisions.EFFECTIVE_TIMER, effective, "hr-2", "leaver:alice:hr-2"));
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.scheduled", AuditOutcome.SCHEDULED, Severity.INFO,
          "leaver effective in the future: revocation scheduled for " + effective, "hr-2", "leaver:alice:hr-2",
          List.of(), Map.of("effectiveTime", effective.toString())));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.SCHEDULED);
    }

    @Test
    void theTimerRevokesWithTheEffectiveTimeAsTheCommandsCausationTime() {
      decide(leaver("hr-2", T0, effective), T0);
      Instant fired = effective.plusMillis(400);

      Decision<LeaverCaseState> out = fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", fired);

      String reason = "leaver effective: revoke everything";
      assertThat(out.commands()).containsExactly(
          expectedCommand(CommandAction.REVOKE_ALL, "hr-2", effective, "leaver:alice:hr-2", "initial", reason, fired),
          expectedCommand(CommandAction.TERMINATE_SESSIONS, "hr-2", effective, "leaver:alice:hr-2", "initial", reason, fired));
      assertThat(audits(out).get(0).getDetails()).containsEntry("subjectKnown", "false");
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.TERMINATED);
    }

    @Test
    void aTimerFiringEarlyIsPutBackRatherThanRevokingBeforeTheEffectiveTime() {
      decide(leaver("hr-2", T0, effective), T0);

      Decision<LeaverCaseState> out = fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", effective.minusMillis(1));

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).containsExactly(
          schedule(LeaverDecisions.EFFECTIVE_TIMER, effective, "hr-2", "leaver:alice:hr-2"));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.SCHEDULED);
    }

    @Test
    void aLeaverCancelledBeforeItFiresIsCancelledAndItsTimerRemoved() {
      decide(leaver("hr-2", T0, effective), T0);

      Decision<LeaverCaseState> out = decide(hr("hr-3", WorkerEventType.LEAVER_CANCELLED, T0.plusSeconds(9), effective), T0.plusSeconds(9));

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).containsExactly(cancel(LeaverDecisions.EFFECTIVE_TIMER));
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.cancelled", AuditOutcome.CANCELLED, Severity.INFO,
          "HR cancelled the leaver before it became effective", "hr-3", "leaver:alice:hr-2", List.of(),
          Map.of("effectiveTime", effective.toString(), "cancelledLeaverEventId", "hr-2",
              "cancelledBy", "LEAVER_CANCELLED")));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.ACTIVE);
      assertThat(fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", effective).isEmpty()).isTrue();
    }

    @Test
    void aRehireBeforeItFiresCancelsIt() {
      decide(leaver("hr-2", T0, effective), T0);

      Decision<LeaverCaseState> out = decide(hr("hr-3", WorkerEventType.REHIRE, T0, T0), T0);

      assertThat(out.timers()).containsExactly(cancel(LeaverDecisions.EFFECTIVE_TIMER));
      assertThat(audits(out)).extracting(AuditEvent::getAction).containsExactly("leaver.cancelled");
      assertThat(audits(out).get(0).getDetails()).containsEntry("cancelledBy", "REHIRE");
    }

    @Test
    void aSecondLeaverReschedulesTheSameCaseInsteadOfDuplicatingIt() {
      decide(leaver("hr-2", T0, effective), T0);
      Instant later = effective.plus(Duration.ofDays(3));

      Decision<LeaverCaseState> out = decide(leaver("hr-3", T0.plusSeconds(60), later), T0.plusSeconds(60));

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).containsExactly(
          schedule(LeaverDecisions.EFFECTIVE_TIMER, later, "hr-3", "leaver:alice:hr-2"));
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.rescheduled", AuditOutcome.SCHEDULED,
          Severity.INFO, "a second leaver moved the termination to " + later, "hr-3", "leaver:alice:hr-2", List.of(),
          Map.of("effectiveTime", later.toString(), "previousEffectiveTime", effective.toString(),
              "previousEventId", "hr-2")));
      assertThat(fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", effective).isEmpty()).isTrue();
      assertThat(fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-3", later).commands())
          .extracting(AuthenticatorCommand::getCausationId).containsOnly("hr-3");
    }

    @Test
    void aSecondLeaverAlreadyEffectiveRevokesAtOnceAndDropsTheTimer() {
      decide(leaver("hr-2", T0, effective), T0);

      Decision<LeaverCaseState> out = decide(immediateLeaver("hr-3", T0.plusSeconds(60), effective, true), T0.plusSeconds(60));

      assertThat(out.timers()).containsExactly(cancel(LeaverDecisions.EFFECTIVE_TIMER),
          schedule(LeaverDecisions.DEADLINE_TIMER, T0.plusSeconds(60).plus(DEADLINE), "hr-3", "leaver:alice:hr-2"));
      assertThat(out.commands()).extracting(AuthenticatorCommand::getCorrelationId).containsOnly("leaver:alice:hr-2");
    }

    @Test
    void anOlderHrRecordArrivingLateCannotPostponeTheTermination() {
      decide(leaver("hr-3", T0.plusSeconds(60), effective), T0.plusSeconds(60));

      Decision<LeaverCaseState> out = decide(leaver("hr-2", T0, effective.plus(Duration.ofDays(30))), T0.plusSeconds(90));

      assertThat(out.timers()).isEmpty();
      assertThat(audits(out)).extracting(AuditEvent::getAction, AuditEvent::getOutcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.reschedule.refused", AuditOutcome.REFUSED));
      assertThat(stored.getLeaver().getEffectiveTime()).isEqualTo(effective);
    }

    @Test
    void anOlderHrRecordArrivingLateMayBringTheTerminationForward() {
      decide(leaver("hr-3", T0.plusSeconds(60), effective), T0.plusSeconds(60));
      Instant sooner = effective.minus(Duration.ofDays(2));

      Decision<LeaverCaseState> out = decide(leaver("hr-2", T0, sooner), T0.plusSeconds(90));

      assertThat(out.timers()).containsExactly(
          schedule(LeaverDecisions.EFFECTIVE_TIMER, sooner, "hr-2", "leaver:alice:hr-3"));
    }
  }

  @Nested
  class CancelAndRehireAfterTermination {

    @Test
    void aCancelAfterTheRevocationIsRefusedAndTheSubjectStaysTerminated() {
      decide(leaver("hr-2", T0, T0), T0);

      Decision<LeaverCaseState> out = decide(hr("hr-3", WorkerEventType.LEAVER_CANCELLED, T0, T0), T0);

      assertThat(out.commands()).isEmpty();
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.MEDIUM, "the leaver is already effective and revoked; revocation is not undone and only a REHIRE "
              + "reopens the account", "hr-3", "leaver:alice:hr-2", List.of(), Map.of()));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.TERMINATED);
    }

    @Test
    void aCancelWithNothingPendingIsRefusedAtLowSeverity() {
      Decision<LeaverCaseState> out = decide(hr("hr-3", WorkerEventType.LEAVER_CANCELLED, T0, T0), T0);

      assertThat(audits(out)).extracting(AuditEvent::getAction, AuditEvent::getSeverity, AuditEvent::getReason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.cancel.refused", Severity.LOW,
              "no pending leaver to cancel"));
    }

    @Test
    void aRehireWithAFreshVerificationReopensATerminatedAccountSoNewFactorsAreNotAnomalies() {
      decide(leaver("hr-2", T0, T0), T0);
      Instant back = T0.plus(Duration.ofDays(60));

      Decision<LeaverCaseState> reopened = decide(rehire("hr-3", back, back.minus(Duration.ofDays(2))), back);
      Decision<LeaverCaseState> bindAfter = decide(bound("f-1", "a-1", back), back);

      assertThat(audits(reopened)).containsExactly(expectedAudit("leaver.reopened", AuditOutcome.RECORDED,
          Severity.INFO, "rehire with a fresh identity verification: the account is open again; factors bound from "
              + "now on are not anomalies", "hr-3", "leaver:alice:hr-2", List.of(),
          Map.of("verificationId", "iv-hr-3", "verificationLevel", "IAL2",
              "verifiedAt", back.minus(Duration.ofDays(2)).toString())));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.ACTIVE);
      assertThat(stored.getTerminatedAt()).isNull();
      assertThat(bindAfter.commands()).isEmpty();
      assertThat(bindAfter.audits()).isEmpty();
    }

    @Test
    void aRehireWithoutAFreshVerificationIsRefusedAndLaterFactorsAreStillRevoked() {
      decide(leaver("hr-2", T0, T0), T0);
      Instant back = T0.plus(Duration.ofDays(60));

      Decision<LeaverCaseState> unverified = decide(hr("hr-3", WorkerEventType.REHIRE, back, back), back);
      Decision<LeaverCaseState> tooOld = decide(rehire("hr-4", back, back.minus(Duration.ofDays(31))), back);
      Decision<LeaverCaseState> beforeLeaving = decide(rehire("hr-5", back, T0.minusSeconds(1)), back);
      Decision<LeaverCaseState> bindAfter = decide(bound("f-1", "a-1", back), back);

      String reason = "a REHIRE reopens a terminated account only with a fresh identity verification at the role's "
          + "level: ";
      assertThat(audits(unverified)).containsExactly(expectedAudit("leaver.reactivation.refused", AuditOutcome.REFUSED,
          Severity.MEDIUM, reason + "IDENTITY_NOT_VERIFIED", "hr-3", "leaver:alice:hr-2", List.of(),
          Map.of("eventType", "REHIRE", "refusal", "IDENTITY_NOT_VERIFIED")));
      assertThat(audits(tooOld)).extracting(AuditEvent::getReason).containsExactly(reason + "VERIFICATION_TOO_OLD");
      assertThat(audits(beforeLeaving)).extracting(AuditEvent::getReason)
          .containsExactly(reason + "VERIFICATION_BEFORE_TERMINATION");
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.TERMINATED);
      assertThat(bindAfter.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);
    }

    @Test
    void aJoinerForATerminatedSubjectDoesNotReopenTheAccount() {
      decide(leaver("hr-2", T0, T0), T0);

      Decision<LeaverCaseState> joiner = decide(hr("hr-3", WorkerEventType.JOINER, T0, T0), T0);
      Decision<LeaverCaseState> bindAfter = decide(bound("f-1", "a-1", T0), T0);

      assertThat(audits(joiner)).extracting(AuditEvent::getAction, AuditEvent::getOutcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.reactivation.refused", AuditOutcome.REFUSED));
      assertThat(bindAfter.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);
    }
  }

  @Nested
  class ReadingTheOneHrStanding {

    @Test
    void aCancelOlderThanThePendingLeaverIsRefusedAndTheLeaverStands() {
      Instant effective = T0.plus(Duration.ofDays(7));
      decide(leaver("hr-2", T0, effective), T0);

      Decision<LeaverCaseState> out = decide(hr("hr-3", WorkerEventType.LEAVER_CANCELLED, T0.minusSeconds(60), T0),
          T0.plusSeconds(5));

      assertThat(out.timers()).isEmpty();
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.cancel.refused", AuditOutcome.REFUSED, Severity.LOW,
          "a LEAVER_CANCELLED older than the latest HR event applied cannot cancel the pending leaver", "hr-3",
          "leaver:alice:hr-2", List.of(), Map.of()));
      assertThat(stored.getPhase()).isEqualTo(LeaverPhase.SCHEDULED);
    }

    @Test
    void aFactorBoundAfterThePendingLeaversTimeRevokesEverythingBeforeTheTimerFires() {
      Instant effective = T0.plus(Duration.ofDays(1));
      decide(leaver("hr-2", T0, effective), T0);
      Instant late = effective.plusSeconds(2);

      Decision<LeaverCaseState> out = decide(bound("f-1", "a-1", effective.plusSeconds(1)), late);
      Decision<LeaverCaseState> timer = fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", late.plusSeconds(1));

      assertThat(out.commands()).extracting(AuthenticatorCommand::getAction).containsExactly(CommandAction.REVOKE_ALL,
          CommandAction.TERMINATE_SESSIONS, CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);
      assertThat(out.commands().get(0).getCausationTime()).isEqualTo(effective);
      assertThat(out.auditActions()).containsExactly("leaver.revocation.requested", "factor.bound.after.termination");
      assertThat(stored.getStanding().getTerminatedAt()).isEqualTo(effective);
      assertThat(timer.isEmpty()).isTrue();
    }

    @Test
    void aTerminatedCaseOfAnEarlierReleaseStaysTerminatedAndKnowsWhen() {
      stored = LeaverCaseState.newBuilder().setSubjectId(ALICE).setPhase(LeaverPhase.TERMINATED)
          .setLeaver(io.authlifecycle.avro.state.LeaverRequest.newBuilder().setEventId("hr-2").setEventTime(T0)
              .setEffectiveTime(T0).setImmediate(true).setForCause(false).setSubjectKnown(true)
              .setCorrelationId("leaver:alice:hr-2").build())
          .setTerminatedAt(T0.plusMillis(40)).setStanding(null).build();
      Instant back = T0.plus(Duration.ofDays(10));

      Decision<LeaverCaseState> joiner = decide(hr("hr-3", WorkerEventType.JOINER, back, back), back);
      Decision<LeaverCaseState> oldProof = decide(rehire("hr-4", back, T0.minusSeconds(1)), back);
      Decision<LeaverCaseState> freshProof = decide(rehire("hr-5", back, T0.plus(Duration.ofDays(9))), back);

      assertThat(joiner.auditActions()).containsExactly("leaver.reactivation.refused");
      assertThat(audits(oldProof).get(0).getDetails()).containsEntry("refusal", "VERIFICATION_BEFORE_TERMINATION");
      assertThat(freshProof.auditActions()).containsExactly("leaver.reopened");
    }

    @Test
    void aScheduledCaseOfAnEarlierReleaseIsRevokedWhenItsTimerFires() {
      Instant effective = T0.plus(Duration.ofDays(3));
      stored = LeaverCaseState.newBuilder().setSubjectId(ALICE).setPhase(LeaverPhase.SCHEDULED)
          .setLeaver(io.authlifecycle.avro.state.LeaverRequest.newBuilder().setEventId("hr-2").setEventTime(T0)
              .setEffectiveTime(effective).setImmediate(false).setForCause(false).setSubjectKnown(true)
              .setCorrelationId("leaver:alice:hr-2").build())
          .setStanding(null).build();

      Decision<LeaverCaseState> out = fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", effective);

      assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
      assertThat(out.commands()).extracting(AuthenticatorCommand::getCorrelationId).containsOnly("leaver:alice:hr-2");
      assertThat(stored.getStanding().getPhase()).isEqualTo(io.authlifecycle.avro.state.HrPhase.TERMINATED);
    }
  }

  @Nested
  class BoundAfterTermination {

    @Test
    void aFactorBoundToATerminatedSubjectIsRevokedAtOnceAndRaisedAsAnAnomaly() {
      decide(leaver("hr-2", T0, T0), T0);
      Instant boundAt = T0.plusSeconds(30);
      Instant now = T0.plusSeconds(31);

      Decision<LeaverCaseState> out = decide(bound("f-9", "a-9", boundAt), now);

      String reason = "authenticator bound to a terminated subject: revoked at once";
      AuthenticatorCommand revoke = AuthenticatorCommand.newBuilder(
              expectedCommand(CommandAction.REVOKE_AUTHENTICATOR, "f-9", boundAt, "leaver:alice:hr-2", "a-9", reason, now))
          .setAuthenticatorId("a-9").build();
      AuthenticatorCommand sessions =
          expectedCommand(CommandAction.TERMINATE_SESSIONS, "f-9", boundAt, "leaver:alice:hr-2", "a-9", reason, now);
      assertThat(out.commands()).containsExactly(revoke, sessions);
      assertThat(audits(out)).containsExactly(sealed(AuditEvent.newBuilder(expectedAudit("factor.bound.after.termination",
              AuditOutcome.ANOMALY, Severity.HIGH, reason, "f-9", "leaver:alice:hr-2",
              List.of(revoke.getCommandId(), sessions.getCommandId()),
              Map.of("boundAt", boundAt.toString(), "terminatedAt", T0.toString(), "deviceId", "dev-a-9",
                  "ticketId", "t-a-9")))
          .setAuthenticatorId("a-9").setFactorType(FactorType.HARDWARE_PASSKEY)));
    }

    @Test
    void aFactorBoundBeforeTheLeaverIsRecordedNotRevoked() {
      Decision<LeaverCaseState> out = decide(bound("f-1", "a-1", T0), T0);

      assertThat(out.commands()).isEmpty();
      assertThat(out.audits()).isEmpty();
      assertThat(out.state().isPresent()).isTrue();
      assertThat(stored.getAuthenticators()).extracting(a -> a.getAuthenticatorId()).containsExactly("a-1");
    }

    @Test
    void aFactorBoundWhileTheLeaverIsOnlyScheduledIsLeftToTheRevocation() {
      decide(leaver("hr-2", T0, T0.plus(Duration.ofDays(1))), T0);

      Decision<LeaverCaseState> out = decide(bound("f-1", "a-1", T0), T0);
      Decision<LeaverCaseState> fired = fire(LeaverDecisions.EFFECTIVE_TIMER, "hr-2", T0.plus(Duration.ofDays(1)));

      assertThat(out.commands()).isEmpty();
      assertThat(fired.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
      assertThat(stored.getRevocation().getPendingAuthenticatorIds()).containsExactly("a-1");
    }
  }

  @Nested
  class Completion {

    final Instant requested = T0;
    final String revokeAll = commandId("hr-2", CommandAction.REVOKE_ALL, "initial");
    final String sessions = commandId("hr-2", CommandAction.TERMINATE_SESSIONS, "initial");
    final String reissue = commandId("hr-2", CommandAction.REVOKE_ALL, "reissue-1");
    final String sessionsReissue = commandId("hr-2", CommandAction.TERMINATE_SESSIONS, "reissue-1");

    void terminateWithFactors(String... authenticatorIds) {
      for (String id : authenticatorIds) {
        decide(bound("bound-" + id, id, T0.minusSeconds(3600)), T0.minusSeconds(3600));
      }
      decide(leaver("hr-2", T0.minusMillis(250), T0.minusSeconds(60)), requested);
    }

    /** The sessions' end confirmed by the IdP, the half that completes nothing alone. */
    void sessionsConfirmed(Instant at) {
      Decision<LeaverCaseState> out = decide(applied("f-s", sessions, CommandAction.TERMINATE_SESSIONS, at), at);
      assertThat(out.audits()).isEmpty();
      assertThat(stored.getRevocation().getSessionsConfirmed()).isTrue();
    }

    @Test
    void completesWhenTheIdpAppliesTheRevokeAllAndTheSessionTermination() {
      terminateWithFactors("a-1");
      sessionsConfirmed(requested.plusMillis(400));
      Instant now = requested.plusMillis(900);

      Decision<LeaverCaseState> out = decide(applied("f-1", revokeAll, CommandAction.REVOKE_ALL, now, "a-1"), now);

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).containsExactly(cancel(LeaverDecisions.DEADLINE_TIMER));
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.completed", AuditOutcome.COMPLETED, Severity.INFO,
          "the IdP confirmed the leaver's revocation", "f-1", "leaver:alice:hr-2", List.of(revokeAll, sessions),
          Map.of("elapsedMillis", "1150", "elapsedSinceDueMillis", "1150", "confirmedBy", "CommandApplied " + revokeAll,
              "leaverEventId", "hr-2", "deadlineMisses", "0")));
      assertThat(stored.getRevocation()).isNull();
      assertThat(stored.getAuthenticators()).extracting(a -> a.getRevokedAt()).containsExactly(now);
    }

    @Test
    void completesWhenEveryKnownFactorIsReportedRevokedAndNotBefore() {
      terminateWithFactors("a-1", "a-2");
      sessionsConfirmed(requested);

      Decision<LeaverCaseState> first = decide(revoked("f-1", "a-1", requested.plusMillis(10)), requested.plusMillis(10));
      Decision<LeaverCaseState> second = decide(revoked("f-2", "a-2", requested.plusMillis(20)), requested.plusMillis(20));

      assertThat(first.audits()).isEmpty();
      assertThat(first.state().isPresent()).isTrue();
      assertThat(audits(second)).extracting(AuditEvent::getAction).containsExactly("leaver.completed");
      assertThat(audits(second).get(0).getDetails())
          .containsEntry("confirmedBy", "AuthenticatorRevoked for every known factor")
          .containsEntry("elapsedMillis", "270");
    }

    @Test
    void withNoKnownFactorsOnlyTheAppliedCommandConfirms() {
      terminateWithFactors();

      Decision<LeaverCaseState> unrelated = decide(revoked("f-1", "a-unknown", requested), requested);
      Decision<LeaverCaseState> sessionsApplied = decide(applied("f-2", sessions, CommandAction.TERMINATE_SESSIONS, requested), requested);

      assertThat(unrelated.isEmpty()).isTrue();
      assertThat(sessionsApplied.audits()).isEmpty();
      assertThat(stored.getRevocation()).isNotNull();
      assertThat(stored.getRevocation().getRevokeAllConfirmed()).isFalse();
    }

    @Test
    void theRevokeAllAloneDoesNotCompleteTheSessionsMustEndToo() {
      terminateWithFactors("a-1");

      Decision<LeaverCaseState> out = decide(applied("f-1", revokeAll, CommandAction.REVOKE_ALL, requested, "a-1"), requested);

      assertThat(out.audits()).isEmpty();
      assertThat(out.timers()).isEmpty();
      assertThat(stored.getRevocation().getRevokeAllConfirmed()).isTrue();
      assertThat(stored.getRevocation().getSessionsConfirmed()).isFalse();
    }

    @Test
    void aDryRunApplicationIsShadowAndConfirmsNothing() {
      terminateWithFactors("a-1");

      Decision<LeaverCaseState> all = decide(CommandApplied.newBuilder(applied("f-1", revokeAll, CommandAction.REVOKE_ALL,
          requested, "a-1")).setDryRun(true).build(), requested);
      Decision<LeaverCaseState> both = decide(CommandApplied.newBuilder(applied("f-2", sessions,
          CommandAction.TERMINATE_SESSIONS, requested)).setDryRun(true).build(), requested);

      assertThat(audits(all)).extracting(AuditEvent::getAction, AuditEvent::getSeverity, AuditEvent::getCommandIds)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.revocation.shadow", Severity.MEDIUM, List.of(revokeAll)));
      assertThat(audits(all).get(0).getDetails()).containsEntry("shadow", "true").containsEntry("action", "REVOKE_ALL");
      assertThat(audits(both)).extracting(AuditEvent::getAction).containsExactly("leaver.revocation.shadow");
      assertThat(both.timers()).isEmpty();
      assertThat(stored.getRevocation().getRevokeAllConfirmed()).isFalse();
      assertThat(stored.getRevocation().getSessionsConfirmed()).isFalse();
      assertThat(stored.getAuthenticators()).extracting(a -> a.getRevokedAt()).containsOnlyNulls();
      // Nothing was revoked: at the deadline the leaver is overdue, as it should be.
      assertThat(audits(fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE))))
          .extracting(AuditEvent::getAction).containsExactly("leaver.revocation.overdue");
    }

    @Test
    void aFailedSessionTerminationAfterTheRevokeAllWasConfirmedStillEscalates() {
      terminateWithFactors("a-1");
      decide(applied("f-1", revokeAll, CommandAction.REVOKE_ALL, requested, "a-1"), requested);

      Decision<LeaverCaseState> out = decide(failed("f-2", sessions, CommandAction.TERMINATE_SESSIONS, requested), requested);

      assertThat(audits(out)).extracting(AuditEvent::getAction, AuditEvent::getSeverity)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.revocation.failed", Severity.HIGH));
      assertThat(stored.getRevocation()).isNotNull();
      // Only the unconfirmed half is re-issued at the deadline.
      assertThat(fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE)).commands())
          .extracting(AuthenticatorCommand::getCommandId).containsExactly(sessionsReissue);
    }

    @Test
    void aMissedDeadlineIsEscalatedAndTheRevokeAllReissuedOnceWithANewId() {
      terminateWithFactors("a-1");
      Instant late = requested.plus(DEADLINE);

      Decision<LeaverCaseState> out = fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", late);

      String reason = "leaver revocation not confirmed within PT5M: re-issued once";
      AuthenticatorCommand again = expectedCommand(CommandAction.REVOKE_ALL, "hr-2", T0.minusMillis(250),
          "leaver:alice:hr-2", "reissue-1", reason, late);
      AuthenticatorCommand sessionsAgain = expectedCommand(CommandAction.TERMINATE_SESSIONS, "hr-2", T0.minusMillis(250),
          "leaver:alice:hr-2", "reissue-1", reason, late);
      assertThat(again.getCommandId()).isNotEqualTo(revokeAll).isEqualTo(reissue);
      assertThat(out.commands()).containsExactly(again, sessionsAgain);
      assertThat(out.timers()).containsExactly(
          schedule(LeaverDecisions.DEADLINE_TIMER, late.plus(DEADLINE), "hr-2", "leaver:alice:hr-2"));
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.revocation.overdue", AuditOutcome.ESCALATED,
          Severity.HIGH, "no confirmation from the IdP within PT5M: REVOKE_ALL and TERMINATE_SESSIONS re-issued, "
              + "still waiting", "hr-2", "leaver:alice:hr-2", List.of(reissue, sessionsReissue),
          Map.of("deadline", "PT5M", "waitedMillis", "300000", "deadlineMisses", "1", "reissued", "true",
              "revokeAllConfirmed", "false", "sessionsConfirmed", "false")));
      assertThat(LeaverGauges.overdue(stored)).isTrue();
    }

    @Test
    void theReissuedCommandConfirmsTheCaseToo() {
      terminateWithFactors("a-1");
      fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE));

      sessionsConfirmed(requested.plus(DEADLINE).plusSeconds(1));
      Decision<LeaverCaseState> out = decide(applied("f-1", reissue, CommandAction.REVOKE_ALL, requested.plus(DEADLINE).plusSeconds(2)),
          requested.plus(DEADLINE).plusSeconds(2));

      assertThat(audits(out)).extracting(AuditEvent::getAction).containsExactly("leaver.completed");
      assertThat(audits(out).get(0).getCommandIds()).containsExactly(revokeAll, reissue, sessions, sessionsReissue);
      assertThat(audits(out).get(0).getDetails()).containsEntry("deadlineMisses", "1");
      assertThat(LeaverGauges.overdue(stored)).isFalse();
    }

    @Test
    void aSecondMissedDeadlineEscalatesToCriticalWithoutAnotherCommand() {
      terminateWithFactors("a-1");
      fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE));

      Decision<LeaverCaseState> out = fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE).plus(DEADLINE));

      assertThat(out.commands()).isEmpty();
      assertThat(out.timers()).isEmpty();
      assertThat(audits(out)).extracting(AuditEvent::getAction, AuditEvent::getSeverity, AuditEvent::getCommandIds)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("leaver.revocation.overdue", Severity.CRITICAL,
              List.of(revokeAll, reissue, sessions, sessionsReissue)));
      assertThat(stored.getRevocation()).isNotNull();
    }

    @Test
    void aFailedRevokeAllIsAnIncidentAndTrackingContinues() {
      terminateWithFactors("a-1");

      Decision<LeaverCaseState> out = decide(failed("f-1", revokeAll, CommandAction.REVOKE_ALL, requested), requested);

      assertThat(out.commands()).isEmpty();
      assertThat(audits(out)).containsExactly(expectedAudit("leaver.revocation.failed", AuditOutcome.FAILED,
          Severity.HIGH, "the IdP could not apply a leaver's REVOKE_ALL: the former employee may still hold a "
              + "working factor or session; still tracking", "f-1", "leaver:alice:hr-2", List.of(revokeAll),
          Map.of("action", "REVOKE_ALL", "error", "HTTP 503 from the IdP", "permanent", "false", "attempts", "3")));
      assertThat(stored.getRevocation()).isNotNull();
      assertThat(fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE)).commands()).hasSize(2);
    }

    @Test
    void aFailureOfSomeoneElsesCommandIsNotThisCasesBusiness() {
      terminateWithFactors("a-1");

      assertThat(decide(failed("f-1", "other-command", CommandAction.REVOKE_ALL, requested), requested).isEmpty()).isTrue();
    }

    @Test
    void aDeadlineFiringAfterCompletionDoesNothing() {
      terminateWithFactors("a-1");
      sessionsConfirmed(requested);
      decide(applied("f-1", revokeAll, CommandAction.REVOKE_ALL, requested), requested);

      assertThat(fire(LeaverDecisions.DEADLINE_TIMER, "hr-2", requested.plus(DEADLINE)).isEmpty()).isTrue();
    }
  }

  @Nested
  class Duplicates {

    @Test
    void theSameEventIdTwiceChangesNothingAndEmitsNothing() {
      List<Object> inputs = List.of(
          hr("hr-1", WorkerEventType.JOINER, T0, T0),
          bound("f-1", "a-1", T0),
          leaver("hr-2", T0, T0.plusSeconds(600)),
          hr("hr-3", WorkerEventType.LEAVER_CANCELLED, T0, T0),
          leaver("hr-4", T0, T0),
          bound("f-2", "a-2", T0),
          failed("f-3", commandId("hr-4", CommandAction.REVOKE_ALL, "initial"), CommandAction.REVOKE_ALL, T0),
          revoked("f-4", "a-2", T0),
          applied("f-5", commandId("hr-4", CommandAction.REVOKE_ALL, "initial"), CommandAction.REVOKE_ALL, T0));
      for (Object input : inputs) {
        assertThat(decide(input, T0).isEmpty()).as("first %s", input).isFalse();
        LeaverCaseState before = LeaverCaseState.newBuilder(stored).build();

        Decision<LeaverCaseState> again = decide(input, T0.plusSeconds(1));

        assertThat(again.isEmpty()).as("duplicate %s", input).isTrue();
        assertThat(stored).isEqualTo(before);
      }
    }

    @Test
    void rememberesABoundedNumberOfRecentEventIds() {
      for (int i = 0; i < LeaverDecisions.RECENT_EVENT_IDS + 10; i++) {
        decide(bound("f-" + i, "a-" + i, T0), T0);
      }

      assertThat(stored.getRecentEventIds()).hasSize(LeaverDecisions.RECENT_EVENT_IDS)
          .startsWith("authn.authenticator-events.v1/f-10")
          .endsWith("authn.authenticator-events.v1/f-" + (LeaverDecisions.RECENT_EVENT_IDS + 9));
    }

    @Test
    void anIdpFactReusingTheIdOfAnHrEventDoesNotSuppressTheLeaver() {
      decide(bound("hr-9", "a-1", T0), T0);

      Decision<LeaverCaseState> out = decide(immediateLeaver("hr-9", T0, T0, false), T0);

      assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
          .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
      assertThat(stored.getRecentEventIds()).containsExactly("authn.authenticator-events.v1/hr-9", "hr.worker-events.v1/hr-9");
    }
  }
}
