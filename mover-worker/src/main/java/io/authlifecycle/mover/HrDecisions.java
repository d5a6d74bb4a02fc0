package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverProfile;
import io.authlifecycle.avro.state.MoverRebindCase;
import io.authlifecycle.avro.state.MoverSubject;
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
 * HR events keep the subject's profile; a move into a role that needs more (a higher level,
 * phishing resistance, no restricted factors) replaces the factors that no longer qualify: one
 * REBIND ticket, restricted factors on a privileged role revoked at once, the rest revoked when
 * the grace period ends (the open re-bind case). A move down changes nothing but the recorded level.
 */
final class HrDecisions {

  private final MoverRules rules;
  private final MoverRecords records;

  HrDecisions(MoverRules rules, MoverRecords records) {
    this.rules = rules;
    this.records = records;
  }

  void onWorkerEvent(MoverSubject state, WorkerEvent event, Decision<MoverSubject> out, Instant now) {
    WorkerEventType type = event.getType();
    if (type == WorkerEventType.JOINER || type == WorkerEventType.REHIRE) {
      state.setProfile(MoverSubjects.profile(event, rules.policy()));
      state.setTerminatedAt(null);
    } else if (type == WorkerEventType.LEAVER && effective(event, now) && state.getTerminatedAt() == null) {
      // Revocation is the leaver worker's; the mover only stops nudging someone who has left.
      state.setTerminatedAt(now);
      out.audit(MoverRecords.audit(state, "mover.clock.stopped", AuditOutcome.RECORDED, Severity.INFO,
          PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(state, event))
          .setReason("the subject left: no more expiry or staleness reminders; the leaver worker revokes every factor"));
    } else if (type == WorkerEventType.MOVER) {
      MoverProfile before = state.getProfile();
      MoverProfile after = MoverSubjects.profile(event, rules.policy());
      if (after.getChannels().isEmpty() && before != null) {
        // A move that does not restate the channels keeps the ones already registered.
        after.setChannels(before.getChannels());
      }
      state.setProfile(after);
      move(state, before, after, event, out, now);
    }
    // Future-dated leavers and their cancellations are the leaver worker's decisions.
  }

  private static boolean effective(WorkerEvent leaver, Instant now) {
    return leaver.getImmediate() || leaver.getForCause() || !leaver.getEffectiveTime().isAfter(now);
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
    if (allowed.isEmpty()) {
      out.audit(MoverRecords.audit(state, "mover.ticket.refused", AuditOutcome.REFUSED, Severity.MEDIUM,
          PolicyRefs.NHI_WORKLOAD_IDENTITY, PolicyRefs.CSF_PROOFED_AND_BOUND, cause)
          .setReason("no factor type may be enrolled for this identity"));
    } else {
      open.setTicketId(records.ticket(out, state, TicketPurpose.REBIND, allowed, rules.rebindTicketLifetime(), cause,
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
        "Your new role needs stronger sign-in factors. Enroll a replacement in the portal; "
            + failing.size() + " existing factor(s) will be removed.", cause, now);
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
