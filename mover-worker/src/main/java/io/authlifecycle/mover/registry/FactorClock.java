package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.mover.registry.Step.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time-driven decisions of one subject: expiry reminders and expiry, staleness reminder and
 * revocation, and the end of a role change's grace period. A subject has one timer, due at the
 * earliest of these; {@link #nextDue} computes it from the state alone, so any fact that changes
 * expiry or records a use moves the timer, and {@link #fire} does what is due and no more.
 */
final class FactorClock {

  private final MoverRules rules;

  FactorClock(MoverRules rules) {
    this.rules = rules;
  }

  /** When something next comes due for this subject, or null if nothing will. */
  Instant nextDue(Subject subject) {
    if (subject.terminatedAt != null) {
      return null;
    }
    Instant next = null;
    for (Factor factor : subject.factors.values()) {
      if (factor.gone()) {
        continue;
      }
      next = earliest(next, expiryDue(factor));
      next = earliest(next, staleDue(factor));
    }
    if (subject.rebind != null) {
      for (Instant until : subject.rebind.graceUntil.values()) {
        next = earliest(next, until);
      }
    }
    return next;
  }

  void fire(Subject subject, Outcome out) {
    if (subject.terminatedAt != null) {
      return;
    }
    Instant now = out.now();
    for (Factor factor : new ArrayList<>(subject.factors.values())) {
      if (factor.gone()) {
        continue;
      }
      Instant expiry = expiryDue(factor);
      if (expiry != null && !expiry.isAfter(now)) {
        expiry(subject, factor, out);
      }
      Instant stale = staleDue(factor);
      if (!factor.gone() && stale != null && !stale.isAfter(now)) {
        staleness(subject, factor, out);
      }
    }
    if (subject.rebind != null) {
      graceEnds(subject, out);
    }
  }

  private Instant expiryDue(Factor factor) {
    if (factor.expiresAt == null) {
      return null;
    }
    List<Duration> offsets = rules.expiryReminders();
    return factor.expiryRemindersSent < offsets.size()
        ? factor.expiresAt.minus(offsets.get(factor.expiryRemindersSent))
        : factor.expiresAt;
  }

  private Instant staleDue(Factor factor) {
    if (!factor.usable()) {
      return null;
    }
    return factor.staleReminderAt == null
        ? factor.lastActivity().plus(rules.staleAfter())
        : factor.staleReminderAt.plus(rules.staleGrace());
  }

  /** At expiry: expire. Before: the latest reminder whose offset has passed (earlier missed ones are skipped). */
  private void expiry(Subject subject, Factor factor, Outcome out) {
    Instant now = out.now();
    String correlation = "expiry:" + subject.id + ":" + factor.id;
    if (!factor.expiresAt.isAfter(now)) {
      Cause cause = new Cause("expiry:" + factor.id + ":" + factor.expiresAt.toEpochMilli(), factor.expiresAt, correlation);
      out.change(subject, factor, CommandAction.EXPIRE_AUTHENTICATOR, cause,
          "expired at " + factor.expiresAt, PolicyRefs.EXPIRATION, Severity.INFO);
      out.notify(subject, subject.channels(), "factor.expired",
          "A sign-in factor (" + factor.type + ") expired and no longer works. Enroll its replacement in the portal.", cause);
      return;
    }
    List<Duration> offsets = rules.expiryReminders();
    int stage = factor.expiryRemindersSent;
    while (stage + 1 < offsets.size() && !factor.expiresAt.minus(offsets.get(stage + 1)).isAfter(now)) {
      stage++;
    }
    Duration offset = offsets.get(stage);
    factor.expiryRemindersSent = stage + 1;
    Cause cause = new Cause("expiry-reminder:" + factor.id + ":" + factor.expiresAt.toEpochMilli() + ":" + offset,
        factor.expiresAt.minus(offset), correlation);
    out.notify(subject, subject.channels(), "factor.expiring",
        "A sign-in factor (" + factor.type + ") expires at " + factor.expiresAt
            + ". Renew it before then in the portal.", cause);
    out.audit("mover.factor.expiry-reminded", AuditOutcome.NOTIFIED, Severity.INFO, PolicyRefs.RENEWAL,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).factor(factor).detail("expiresAt", factor.expiresAt)
        .detail("before", offset);
  }

  /** No use for the stale period: remind; still no use after the grace period: revoke. */
  private void staleness(Subject subject, Factor factor, Outcome out) {
    String correlation = "stale:" + subject.id + ":" + factor.id;
    if (factor.staleReminderAt == null) {
      Instant due = factor.lastActivity().plus(rules.staleAfter());
      Cause cause = new Cause("stale-reminder:" + factor.id + ":" + due.toEpochMilli(), due, correlation);
      factor.staleReminderAt = out.now();
      out.notify(subject, subject.channels(), "factor.unused",
          "A sign-in factor (" + factor.type + ") has not been used since " + factor.lastActivity()
              + ". Use it, or it will be removed after " + rules.staleGrace().toDays() + " days.", cause);
      out.audit("mover.factor.stale-reminded", AuditOutcome.NOTIFIED, Severity.INFO, PolicyRefs.INVALIDATION,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).factor(factor).detail("lastActivity", factor.lastActivity());
      return;
    }
    Instant due = factor.staleReminderAt.plus(rules.staleGrace());
    Cause cause = new Cause("stale:" + factor.id + ":" + factor.staleReminderAt.toEpochMilli(), due, correlation);
    out.change(subject, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
        "unused since " + factor.lastActivity() + " and not used after the reminder", PolicyRefs.INVALIDATION,
        Severity.INFO);
  }

  /** A role change's grace period ended: revoke each factor still waiting that is not already gone. */
  private void graceEnds(Subject subject, Outcome out) {
    RebindCase open = subject.rebind;
    Instant now = out.now();
    List<Map.Entry<String, Instant>> due = open.graceUntil.entrySet().stream()
        .filter(e -> !e.getValue().isAfter(now)).toList();
    Cause cause = new Cause(open.causationId, open.causationTime, open.correlationId);
    for (Map.Entry<String, Instant> entry : due) {
      Factor factor = subject.factors.get(entry.getKey());
      open.graceUntil.remove(entry.getKey());
      if (factor == null || factor.gone()) {
        continue;
      }
      String ref = subject.profile == null ? PolicyRefs.AAL_REQUIREMENTS
          : rules.policy().refusalRef(factor.type, subject.profile.view());
      out.change(subject, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
          "no longer qualifies for the role; grace period ended " + entry.getValue(), ref, Severity.MEDIUM);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
