package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.MoverAwaitingVerification;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverProfile;
import io.authlifecycle.avro.state.MoverRebindCase;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.MoverTicketReason;
import io.authlifecycle.core.hr.Folded;
import io.authlifecycle.core.hr.HrChange;
import io.authlifecycle.core.hr.Proofing;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.hr.Standings;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.FactorClass;
import io.authlifecycle.core.policy.Levels;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.mover.MoverRecords.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * HR events, read through lifecycle-core's one HR fold, keep the subject's standing and profile; a
 * move into a role that needs more (a higher level, phishing resistance, no restricted factors)
 * replaces the factors that no longer qualify: one REBIND ticket, restricted factors on a
 * privileged role revoked at once, the rest revoked when the grace period ends (the open re-bind
 * case). A move into a role whose identity level the subject's latest verification does not reach
 * gets no ticket until an HR event brings a verification at that level: the manager and help desk
 * are asked for proofing, as for an unverified joiner. A move down changes nothing but the
 * recorded level. The mover alone audits a change of privilege. What the fold refuses (a JOINER or
 * MOVER for a terminated subject, a stale record) changes nothing here.
 */
final class HrDecisions {

  private final MoverRules rules;
  private final MoverRecords records;

  HrDecisions(MoverRules rules, MoverRecords records) {
    this.rules = rules;
    this.records = records;
  }

  void onWorkerEvent(MoverSubject state, WorkerEvent event, Decision<MoverSubject> out, Instant now) {
    Folded folded = StandingFold.fold(state.getStanding(), event, now, rules.standing());
    state.setStanding(folded.after());
    Cause cause = cause(state, event);
    if (folded.has(HrChange.TERMINATED)) {
      HrLeave leave = folded.after().getLeave();
      stopClock(state, leave.getEventId().equals(event.getEventId()) ? cause : leaveCause(state, leave), out, now);
    }
    if (folded.has(HrChange.REOPENED)) {
      state.setTerminatedAt(null);
    }
    if (folded.refusal().isPresent() || event.getType() == WorkerEventType.LEAVER
        || event.getType() == WorkerEventType.LEAVER_CANCELLED) {
      return;
    }
    MoverProfile before = state.getProfile();
    MoverProfile after = MoverSubjects.profile(folded.after(), event, rules.policy());
    state.setProfile(after);
    privilege(state, folded, cause, out);
    if (event.getType() == WorkerEventType.MOVER) {
      move(state, before, after, event, out, now);
    }
    settle(state, cause, out, now);
  }

  /** Time passed: a pending leaver whose effective time came stops the clock, as an effective one does. */
  void onTime(MoverSubject state, Decision<MoverSubject> out, Instant now) {
    if (state.getStanding().getPhase() != HrPhase.LEAVE_PENDING) {
      return;
    }
    Folded folded = StandingFold.advance(state.getStanding(), now);
    if (folded.has(HrChange.TERMINATED)) {
      state.setStanding(folded.after());
      stopClock(state, leaveCause(state, folded.after().getLeave()), out, now);
    }
  }

  /** A pending leaver that took effect: the cause of what the mover does about it. */
  private static Cause leaveCause(MoverSubject state, HrLeave leave) {
    return new Cause(leave.getEventId(), leave.getEffectiveTime(), "mover:" + state.getSubjectId() + ":" + leave.getEventId());
  }

  /** Revocation is the leaver worker's; the mover only stops nudging someone who has left, and issues no ticket. */
  private static void stopClock(MoverSubject state, Cause cause, Decision<MoverSubject> out, Instant now) {
    state.setAwaitingVerification(null);
    if (state.getTerminatedAt() != null) {
      return;
    }
    state.setTerminatedAt(now);
    out.audit(MoverRecords.audit(state, "mover.clock.stopped", AuditOutcome.RECORDED, Severity.INFO,
        PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause)
        .setReason("the subject left: no more expiry or staleness reminders; the leaver worker revokes every factor"));
  }

  /** A change of privilege, audited here only (a demotion at MEDIUM: it loosens what the subject must use). */
  private static void privilege(MoverSubject state, Folded folded, Cause cause, Decision<MoverSubject> out) {
    boolean raised = folded.has(HrChange.PRIVILEGE_RAISED);
    if (!raised && !folded.has(HrChange.PRIVILEGE_LOWERED)) {
      return;
    }
    out.audit(MoverRecords.audit(state, raised ? "mover.privilege.raised" : "mover.privilege.lowered",
        AuditOutcome.RECORDED, raised ? Severity.LOW : Severity.MEDIUM, PolicyRefs.OWASP_MFA_PRIVILEGED,
        PolicyRefs.CSF_LEAST_PRIVILEGE, cause, "role", state.getProfile().getRole(),
        "requiredLevel", state.getProfile().getRequiredLevel())
        .setReason(raised ? "HR made the subject privileged: phishing-resistant factors only"
            : "HR stated the subject is no longer privileged: the privileged rules no longer apply"));
  }

  private void move(MoverSubject state, MoverProfile before, MoverProfile after, WorkerEvent event,
      Decision<MoverSubject> out, Instant now) {
    AssurancePolicy policy = rules.policy();
    SubjectProfile view = MoverSubjects.view(after);
    Cause cause = cause(state, event);
    if (!stricter(before, after)) {
      out.audit(MoverRecords.audit(state, "mover.level.recorded", AuditOutcome.RECORDED, Severity.INFO,
          PolicyRefs.AAL_REQUIREMENTS, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "fromLevel", before.getRequiredLevel(),
          "toLevel", after.getRequiredLevel(), "role", after.getRole())
          .setReason("the new role needs no more than the old one"));
      dropQualified(state, view);
      closeIfDone(state, out);
      return;
    }
    List<MoverFactor> failing = state.getFactors().stream()
        .filter(f -> !MoverSubjects.gone(f) && !policy.qualifies(f.getFactorType(), view)).toList();
    out.audit(MoverRecords.audit(state, "mover.level.raised", AuditOutcome.RECORDED, Severity.INFO,
        PolicyRefs.AAL_REQUIREMENTS, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause,
        "fromLevel", before == null ? "none recorded" : before.getRequiredLevel(), "toLevel", after.getRequiredLevel(),
        "phishingResistant", after.getPhishingResistant(), "role", after.getRole(), "failing", MoverSubjects.ids(failing))
        .setReason(failing.isEmpty() ? "every factor qualifies for the new role"
            : failing.size() + " factor(s) no longer qualify"));
    dropQualified(state, view);
    closeIfDone(state, out);
    if (failing.isEmpty()) {
      return;
    }
    List<MoverFactor> graced = new ArrayList<>();
    for (MoverFactor factor : failing) {
      if (after.getPrivileged() && FactorClass.of(factor.getFactorType()).restricted()) {
        records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
            "restricted factor (" + factor.getFactorType() + ") on a privileged role: revoked at once",
            PolicyRefs.OWASP_MFA_PRIVILEGED, Severity.MEDIUM, now);
      } else {
        graced.add(factor);
      }
    }
    List<FactorType> allowed = policy.allowedEnrollmentTypes(view);
    MoverRebindCase open = state.getRebind() != null ? state.getRebind()
        : MoverRebindCase.newBuilder().setCorrelationId(cause.correlationId()).setCausationId(cause.causationId())
            .setCausationTime(cause.causationTime()).setGraceUntil(new LinkedHashMap<>()).build();
    IdentityAssuranceLevel neededIal = policy.requiredIdentityLevel(view);
    boolean identityShort = !Levels.atLeast(Standings.verifiedLevel(state.getStanding()), neededIal);
    if (allowed.isEmpty()) {
      out.audit(MoverRecords.audit(state, "mover.ticket.refused", AuditOutcome.REFUSED, Severity.MEDIUM,
          PolicyRefs.NHI_WORKLOAD_IDENTITY, PolicyRefs.CSF_PROOFED_AND_BOUND, cause)
          .setReason("no factor type may be enrolled for this identity"));
    } else if (identityShort) {
      awaitVerification(state, neededIal, cause, out, now);
    } else {
      state.setAwaitingVerification(null);
      open.setTicketId(records.ticket(out, state, MoverTicketReason.ROLE_CHANGE, allowed, rules.rebindTicketLifetime(), cause,
          "role change: factors no longer meet " + after.getRequiredLevel()
              + (after.getPhishingResistant() ? " with phishing resistance" : ""), PolicyRefs.BINDING, now));
    }
    Instant start = event.getEffectiveTime().isAfter(now) ? event.getEffectiveTime() : now;
    Instant until = start.plus(rules.rebindGrace());
    for (MoverFactor factor : graced) {
      open.getGraceUntil().putIfAbsent(factor.getAuthenticatorId(), until);
    }
    if (!open.getGraceUntil().isEmpty()) {
      state.setRebind(open);
      out.audit(MoverRecords.audit(state, "mover.rebind.grace-scheduled", AuditOutcome.SCHEDULED, Severity.INFO,
          PolicyRefs.AAL_REQUIREMENTS, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "graceUntil", open.getGraceUntil())
          .setReason("revoked when the grace period ends unless already gone"));
    }
    records.notify(out, state, MoverSubjects.channels(state), "factor.replacement-required",
        state.getAwaitingVerification() == null
            ? "Your new role needs stronger sign-in factors. Enroll a replacement in the portal; "
                + failing.size() + " existing factor(s) will be removed."
            : "Your new role needs stronger sign-in factors and a new identity verification first: the help desk "
                + "will arrange it, then you can enroll a replacement; " + failing.size()
                + " existing factor(s) will be removed.", cause, now);
  }

  /**
   * Identity before assurance: no REBIND ticket on a verification below the role's identity level.
   * The manager and help desk are asked for proofing, as for an unverified joiner, and the ticket
   * waits for an HR event that carries a verification at that level.
   */
  private void awaitVerification(MoverSubject state, IdentityAssuranceLevel needed, Cause cause,
      Decision<MoverSubject> out, Instant now) {
    state.setAwaitingVerification(MoverAwaitingVerification.newBuilder().setCorrelationId(cause.correlationId())
        .setCausationId(cause.causationId()).setCausationTime(cause.causationTime()).setRequiredIdentityLevel(needed)
        .setSince(now).build());
    IdentityVerification held = state.getStanding().getVerification();
    String message = "No re-enrollment ticket yet for " + state.getSubjectId() + ": the new role ("
        + state.getProfile().getRole() + ") needs identity verification at " + needed + " or above, and the latest "
        + "is " + (held == null ? "none" : held.getLevel().toString()) + ". Arrange in-person or remote identity "
        + "proofing; the ticket follows an HR event carrying the new verification.";
    List<SubjectNotification> notices = Proofing.request(rules.worker(), state.getSubjectId(),
        state.getProfile().getManagerId(), message, cause.causationId(), cause.correlationId(), now);
    notices.forEach(out::notify);
    out.audit(MoverRecords.audit(state, "mover.rebind.awaiting-verification", AuditOutcome.ESCALATED, Severity.MEDIUM,
        PolicyRefs.BINDING, PolicyRefs.CSF_PROOFED_AND_BOUND, cause, "requiredIdentityLevel", needed,
        "verifiedLevel", Standings.verifiedLevel(state.getStanding()),
        "verificationId", held == null ? "none" : held.getVerificationId(), "role", state.getProfile().getRole(),
        "notificationIds", String.join(",", notices.stream().map(SubjectNotification::getEventId).toList()))
        .setReason("identity before assurance: the REBIND ticket waits for a verification at " + needed));
  }

  /**
   * A move waits for its REBIND ticket: once every factor the subject still holds qualifies for its
   * role and they meet its level (it moved back down) nothing is owed any more; once its latest
   * verification reaches the role's identity level the ticket is issued; otherwise it keeps waiting.
   */
  private void settle(MoverSubject state, Cause cause, Decision<MoverSubject> out, Instant now) {
    MoverAwaitingVerification waiting = state.getAwaitingVerification();
    if (waiting == null) {
      return;
    }
    SubjectProfile view = MoverSubjects.view(state.getProfile());
    boolean noneFails = state.getFactors().stream()
        .allMatch(f -> MoverSubjects.gone(f) || rules.policy().qualifies(f.getFactorType(), view));
    if (noneFails && rules.policy().meetsRequiredLevel(MoverSubjects.usableTypes(state), view)) {
      state.setAwaitingVerification(null);
      return;
    }
    IdentityAssuranceLevel needed = rules.policy().requiredIdentityLevel(view);
    IdentityVerification held = state.getStanding().getVerification();
    if (!Levels.atLeast(Standings.verifiedLevel(state.getStanding()), needed)) {
      return;
    }
    state.setAwaitingVerification(null);
    List<FactorType> allowed = rules.policy().allowedEnrollmentTypes(view);
    Cause ticketCause = new Cause(cause.causationId(), cause.causationTime(), waiting.getCorrelationId());
    if (allowed.isEmpty()) {
      out.audit(MoverRecords.audit(state, "mover.ticket.refused", AuditOutcome.REFUSED, Severity.MEDIUM,
          PolicyRefs.NHI_WORKLOAD_IDENTITY, PolicyRefs.CSF_PROOFED_AND_BOUND, ticketCause)
          .setReason("no factor type may be enrolled for this identity"));
      return;
    }
    String ticketId = records.ticket(out, state, MoverTicketReason.ROLE_CHANGE, allowed, rules.rebindTicketLifetime(), ticketCause,
        "identity verified at " + held.getLevel() + " (" + held.getVerificationId() + "): the REBIND ticket the move "
            + waiting.getCausationId() + " waited for", PolicyRefs.BINDING, now);
    if (state.getRebind() != null) {
      state.getRebind().setTicketId(ticketId);
    }
  }

  /** A move that made the policy stricter for this subject (or a first profile: judge every factor). */
  private static boolean stricter(MoverProfile before, MoverProfile after) {
    if (before == null) {
      return true;
    }
    return Levels.rank(after.getRequiredLevel()) > Levels.rank(before.getRequiredLevel())
        || (after.getPhishingResistant() && !before.getPhishingResistant())
        || (before.getRestrictedAllowed() && !after.getRestrictedAllowed())
        || (after.getPrivileged() && !before.getPrivileged())
        || (MoverSubjects.view(after).isService() && !MoverSubjects.view(before).isService());
  }

  /** Factors of an open case that qualify again (a move back down) leave the case. */
  private void dropQualified(MoverSubject state, SubjectProfile view) {
    if (state.getRebind() != null) {
      state.getRebind().getGraceUntil().keySet().removeIf(id -> {
        MoverFactor factor = MoverSubjects.factor(state, id);
        return factor == null || MoverSubjects.gone(factor) || rules.policy().qualifies(factor.getFactorType(), view);
      });
    }
  }

  /** Closes the open case once no factor awaits revocation (replaced, revoked, qualifying again or revoked now). */
  static void closeIfDone(MoverSubject state, Decision<MoverSubject> out) {
    MoverRebindCase open = state.getRebind();
    if (open == null || !open.getGraceUntil().isEmpty()) {
      return;
    }
    state.setRebind(null);
    out.audit(MoverRecords.audit(state, "mover.rebind.closed", AuditOutcome.COMPLETED, Severity.INFO,
        PolicyRefs.AAL_REQUIREMENTS, PolicyRefs.CSF_CREDENTIALS_MANAGED,
        new Cause(open.getCausationId(), open.getCausationTime(), open.getCorrelationId()), "ticketId", open.getTicketId())
        .setReason("no factor awaits replacement any more"));
  }

  /** A qualifying binding during an open case is the replacement: recorded for the audit trail. */
  void bindingDuringRebind(MoverSubject state, MoverFactor factor, AuthenticatorBound fact, Decision<MoverSubject> out) {
    MoverRebindCase open = state.getRebind();
    if (open == null || state.getProfile() == null
        || !rules.policy().qualifies(factor.getFactorType(), MoverSubjects.view(state))) {
      return;
    }
    out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.rebind.replacement-bound", AuditOutcome.RECORDED,
        Severity.INFO, PolicyRefs.BINDING, PolicyRefs.CSF_PROOFED_AND_BOUND,
        new Cause(fact.getEventId(), fact.getEventTime(), open.getCorrelationId()), "ticketId", fact.getTicketId(),
        "awaitingRevocation", open.getGraceUntil().keySet()), factor));
  }

  private static Cause cause(MoverSubject state, WorkerEvent event) {
    return new Cause(event.getEventId(), event.getEventTime(), "mover:" + state.getSubjectId() + ":" + event.getEventId());
  }
}
