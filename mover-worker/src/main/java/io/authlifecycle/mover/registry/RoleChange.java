package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.FactorClass;
import io.authlifecycle.core.policy.Levels;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.mover.registry.Step.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * HR events keep the subject's profile; a move into a role that needs more (a higher level,
 * phishing resistance, no restricted factors) replaces the factors that no longer qualify: one
 * REBIND ticket, restricted factors on a privileged role revoked at once, the rest revoked when
 * the grace period ends. A move down changes nothing but the recorded level.
 */
final class RoleChange {

  private final MoverRules rules;

  RoleChange(MoverRules rules) {
    this.rules = rules;
  }

  void workerEvent(Subject subject, WorkerEvent event, Outcome out) {
    WorkerEventType type = event.getType();
    if (type == WorkerEventType.JOINER || type == WorkerEventType.REHIRE) {
      subject.profile = Profile.from(event, rules.policy());
      subject.terminatedAt = null;
    } else if (type == WorkerEventType.LEAVER && effective(event, out.now()) && subject.terminatedAt == null) {
      // Revocation is the leaver worker's; the mover only stops nudging someone who has left.
      subject.terminatedAt = out.now();
      Cause cause = new Cause(event.getEventId(), event.getEventTime(), "mover:" + subject.id + ":" + event.getEventId());
      out.audit("mover.clock.stopped", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.INVALIDATION,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, cause)
          .reason("the subject left: no more expiry or staleness reminders; the leaver worker revokes every factor");
    } else if (type == WorkerEventType.MOVER) {
      Profile before = subject.profile;
      Profile after = Profile.from(event, rules.policy());
      if (after.channels().isEmpty() && before != null) {
        // A move that does not restate the channels keeps the ones already registered.
        after = after.withChannels(before.channels());
      }
      subject.profile = after;
      move(subject, before, after, event, out);
    }
    // Future-dated leavers and their cancellations are the leaver worker's decisions.
  }

  private static boolean effective(WorkerEvent leaver, Instant now) {
    return leaver.getImmediate() || leaver.getForCause() || !leaver.getEffectiveTime().isAfter(now);
  }

  private void move(Subject subject, Profile before, Profile after, WorkerEvent event, Outcome out) {
    AssurancePolicy policy = rules.policy();
    SubjectProfile view = after.view();
    Cause cause = new Cause(event.getEventId(), event.getEventTime(), "mover:" + subject.id + ":" + event.getEventId());
    boolean stricter = stricter(before, after);
    if (!stricter) {
      out.audit("mover.level.recorded", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.AAL_REQUIREMENTS,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).reason("the new role needs no more than the old one")
          .detail("fromLevel", before.requiredLevel()).detail("toLevel", after.requiredLevel())
          .detail("role", after.role());
      dropQualified(subject, view);
      closeIfDone(subject, out);
      return;
    }
    List<Factor> failing = subject.factors.values().stream()
        .filter(f -> !f.gone() && !policy.qualifies(f.type, view)).toList();
    out.audit("mover.level.raised", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.AAL_REQUIREMENTS,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause)
        .reason(failing.isEmpty() ? "every factor qualifies for the new role" : failing.size() + " factor(s) no longer qualify")
        .detail("fromLevel", before == null ? "none recorded" : before.requiredLevel())
        .detail("toLevel", after.requiredLevel()).detail("phishingResistant", after.phishingResistant())
        .detail("role", after.role()).detail("failing", failing.stream().map(f -> f.id).toList());
    dropQualified(subject, view);
    closeIfDone(subject, out);
    if (failing.isEmpty()) {
      return;
    }
    List<Factor> graced = new ArrayList<>();
    for (Factor factor : failing) {
      if (after.privileged() && FactorClass.of(factor.type).restricted()) {
        out.change(subject, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
            "restricted factor (" + factor.type + ") on a privileged role: revoked at once",
            PolicyRefs.OWASP_MFA_PRIVILEGED, Severity.MEDIUM);
      } else {
        graced.add(factor);
      }
    }
    List<FactorType> allowed = policy.allowedEnrollmentTypes(view);
    RebindCase open = subject.rebind != null ? subject.rebind
        : new RebindCase(cause.correlationId(), cause.causationId(), cause.causationTime());
    if (allowed.isEmpty()) {
      out.audit("mover.ticket.refused", AuditOutcome.REFUSED, Severity.MEDIUM, PolicyRefs.NHI_WORKLOAD_IDENTITY,
          PolicyRefs.CSF_PROOFED_AND_BOUND, cause).reason("no factor type may be enrolled for this identity");
    } else {
      open.ticketId = out.ticket(subject, TicketPurpose.REBIND, allowed, rules.rebindTicketLifetime(), cause,
          "role change: factors no longer meet " + after.requiredLevel()
              + (after.phishingResistant() ? " with phishing resistance" : ""), PolicyRefs.BINDING);
    }
    Instant start = event.getEffectiveTime().isAfter(out.now()) ? event.getEffectiveTime() : out.now();
    Instant until = start.plus(rules.rebindGrace());
    for (Factor factor : graced) {
      open.graceUntil.putIfAbsent(factor.id, until);
    }
    if (!open.graceUntil.isEmpty()) {
      subject.rebind = open;
      out.audit("mover.rebind.grace-scheduled", AuditOutcome.SCHEDULED, Severity.INFO, PolicyRefs.AAL_REQUIREMENTS,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).reason("revoked when the grace period ends unless already gone")
          .detail("graceUntil", open.graceUntil);
    }
    out.notify(subject, subject.channels(), "factor.replacement-required",
        "Your new role needs stronger sign-in factors. Enroll a replacement in the portal; "
            + failing.size() + " existing factor(s) will be removed.", cause);
  }

  /** A move that made the policy stricter for this subject (or a first profile: judge every factor). */
  private static boolean stricter(Profile before, Profile after) {
    if (before == null) {
      return true;
    }
    return Levels.rank(after.requiredLevel()) > Levels.rank(before.requiredLevel())
        || (after.phishingResistant() && !before.phishingResistant())
        || (before.restrictedAllowed() && !after.restrictedAllowed())
        || (after.privileged() && !before.privileged())
        || (after.view().isService() && !before.view().isService());
  }

  /** Factors of an open case that qualify again (a move back down) leave the case. */
  private void dropQualified(Subject subject, SubjectProfile view) {
    if (subject.rebind != null) {
      subject.rebind.graceUntil.keySet().removeIf(id -> {
        Factor factor = subject.factors.get(id);
        return factor == null || factor.gone() || rules.policy().qualifies(factor.type, view);
      });
    }
  }

  /** Closes the open case once no factor awaits revocation (replaced, revoked, qualifying again or revoked now). */
  void closeIfDone(Subject subject, Outcome out) {
    RebindCase open = subject.rebind;
    if (open == null || !open.graceUntil.isEmpty()) {
      return;
    }
    subject.rebind = null;
    out.audit("mover.rebind.closed", AuditOutcome.COMPLETED, Severity.INFO, PolicyRefs.AAL_REQUIREMENTS,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, new Cause(open.causationId, open.causationTime, open.correlationId))
        .reason("no factor awaits replacement any more").detail("ticketId", open.ticketId);
  }

  /** A qualifying binding during an open case is the replacement: recorded for the audit trail. */
  void bindingDuringRebind(Subject subject, Factor factor, AuthenticatorBound fact, Outcome out) {
    RebindCase open = subject.rebind;
    if (open == null || subject.profile == null || !rules.policy().qualifies(factor.type, subject.profile.view())) {
      return;
    }
    out.audit("mover.rebind.replacement-bound", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.BINDING,
        PolicyRefs.CSF_PROOFED_AND_BOUND, new Cause(fact.getEventId(), fact.getEventTime(), open.correlationId))
        .factor(factor).detail("ticketId", fact.getTicketId()).detail("awaitingRevocation", open.graceUntil.keySet());
  }
}
