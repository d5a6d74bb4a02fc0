package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverRebindCase;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.mover.MoverRecords.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time-driven decisions of one subject: expiry reminders and expiry, staleness reminder and
 * revocation, the end of a role change's grace period, and the expiry of its REBIND tickets. A subject has one timer, due at the
 * earliest of these; {@link #nextDue} computes it from the state alone, and {@link #fire} does
 * what is due and no more.
 */
final class TimerDecisions {

  private final MoverRules rules;
  private final MoverRecords records;
  private final TicketDecisions tickets;

  TimerDecisions(MoverRules rules, MoverRecords records, TicketDecisions tickets) {
    this.rules = rules;
    this.records = records;
    this.tickets = tickets;
  }

  /** When something next comes due for this subject, or null if nothing will. */
  Instant nextDue(MoverSubject state) {
    // An open ticket is closed at its expiry even for someone who has left.
    Instant next = tickets.nextDue(state);
    if (state.getTerminatedAt() != null) {
      return next;
    }
    // A pending leaver stops the clock at its effective time, whether or not another input comes first.
    HrStanding standing = state.getStanding();
    if (standing != null && standing.getPhase() == HrPhase.LEAVE_PENDING) {
      next = earliest(next, standing.getLeave().getEffectiveTime());
    }
    for (MoverFactor factor : state.getFactors()) {
      if (MoverSubjects.gone(factor)) {
        continue;
      }
      next = earliest(next, expiryDue(factor));
      next = earliest(next, staleDue(factor));
    }
    if (state.getRebind() != null) {
      for (Instant until : state.getRebind().getGraceUntil().values()) {
        next = earliest(next, until);
      }
    }
    return next;
  }

  void fire(MoverSubject state, Decision<MoverSubject> out, Instant now) {
    if (state.getTerminatedAt() != null) {
      tickets.fire(state, out, now);
      return;
    }
    for (MoverFactor factor : new ArrayList<>(state.getFactors())) {
      if (MoverSubjects.gone(factor)) {
        continue;
      }
      Instant expiry = expiryDue(factor);
      if (expiry != null && !expiry.isAfter(now)) {
        expiry(state, factor, out, now);
      }
      Instant stale = staleDue(factor);
      if (!MoverSubjects.gone(factor) && stale != null && !stale.isAfter(now)) {
        staleness(state, factor, out, now);
      }
    }
    if (state.getRebind() != null) {
      graceEnds(state, out, now);
    }
    // After the grace periods, so a ticket is re-issued only while a factor still waits.
    tickets.fire(state, out, now);
  }

  private Instant expiryDue(MoverFactor factor) {
    if (factor.getExpiresAt() == null) {
      return null;
    }
    List<Duration> offsets = rules.expiryReminders();
    int sent = factor.getExpiryRemindersSent();
    return sent < offsets.size() ? factor.getExpiresAt().minus(offsets.get(sent)) : factor.getExpiresAt();
  }

  private Instant staleDue(MoverFactor factor) {
    if (!MoverSubjects.usable(factor)) {
      return null;
    }
    return factor.getStaleReminderAt() == null
        ? MoverSubjects.lastActivity(factor).plus(rules.staleAfter())
        : factor.getStaleReminderAt().plus(rules.staleGrace());
  }

  /** At expiry: expire. Before: the latest reminder whose offset has passed (earlier missed ones are skipped). */
  private void expiry(MoverSubject state, MoverFactor factor, Decision<MoverSubject> out, Instant now) {
    Instant expiresAt = factor.getExpiresAt();
    String id = factor.getAuthenticatorId();
    String correlation = "expiry:" + state.getSubjectId() + ":" + id;
    if (!expiresAt.isAfter(now)) {
      Cause cause = new Cause("expiry:" + id + ":" + expiresAt.toEpochMilli(), expiresAt, correlation);
      records.change(out, state, factor, CommandAction.EXPIRE_AUTHENTICATOR, cause, "expired at " + expiresAt,
          PolicyRefs.EXPIRATION, Severity.INFO, now);
      records.notify(out, state, MoverSubjects.channels(state), "factor.expired", "A sign-in factor ("
          + factor.getFactorType() + ") expired and no longer works. Enroll its replacement in the portal.", cause, now);
      return;
    }
    List<Duration> offsets = rules.expiryReminders();
    int stage = factor.getExpiryRemindersSent();
    while (stage + 1 < offsets.size() && !expiresAt.minus(offsets.get(stage + 1)).isAfter(now)) {
      stage++;
    }
    Duration offset = offsets.get(stage);
    factor.setExpiryRemindersSent(stage + 1);
    Cause cause = new Cause("expiry-reminder:" + id + ":" + expiresAt.toEpochMilli() + ":" + offset,
        expiresAt.minus(offset), correlation);
    records.notify(out, state, MoverSubjects.channels(state), "factor.expiring", "A sign-in factor ("
        + factor.getFactorType() + ") expires at " + expiresAt + ". Renew it before then in the portal.", cause, now);
    out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.factor.expiry-reminded", AuditOutcome.NOTIFIED,
        Severity.INFO, PolicyRefs.RENEWAL, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "expiresAt", expiresAt,
        "before", offset), factor));
  }

  /** No use for the stale period: remind; still no use after the grace period: revoke. */
  private void staleness(MoverSubject state, MoverFactor factor, Decision<MoverSubject> out, Instant now) {
    String id = factor.getAuthenticatorId();
    String correlation = "stale:" + state.getSubjectId() + ":" + id;
    Instant lastActivity = MoverSubjects.lastActivity(factor);
    if (factor.getStaleReminderAt() == null) {
      Instant due = lastActivity.plus(rules.staleAfter());
      Cause cause = new Cause("stale-reminder:" + id + ":" + due.toEpochMilli(), due, correlation);
      factor.setStaleReminderAt(now);
      records.notify(out, state, MoverSubjects.channels(state), "factor.unused", "A sign-in factor ("
          + factor.getFactorType() + ") has not been used since " + lastActivity + ". Use it, or it will be removed after "
          + rules.staleGrace().toDays() + " days.", cause, now);
      out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.factor.stale-reminded", AuditOutcome.NOTIFIED,
          Severity.INFO, PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause,
          "lastActivity", lastActivity), factor));
      return;
    }
    Instant due = factor.getStaleReminderAt().plus(rules.staleGrace());
    Cause cause = new Cause("stale:" + id + ":" + factor.getStaleReminderAt().toEpochMilli(), due, correlation);
    records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
        "unused since " + lastActivity + " and not used after the reminder", PolicyRefs.INVALIDATION, Severity.INFO, now);
  }

  /** A role change's grace period ended: revoke each factor still waiting that is not already gone. */
  private void graceEnds(MoverSubject state, Decision<MoverSubject> out, Instant now) {
    MoverRebindCase open = state.getRebind();
    List<Map.Entry<String, Instant>> due = open.getGraceUntil().entrySet().stream()
        .filter(e -> !e.getValue().isAfter(now)).toList();
    Cause cause = new Cause(open.getCausationId(), open.getCausationTime(), open.getCorrelationId());
    for (Map.Entry<String, Instant> entry : due) {
      MoverFactor factor = MoverSubjects.factor(state, entry.getKey());
      open.getGraceUntil().remove(entry.getKey());
      if (factor == null || MoverSubjects.gone(factor)) {
        continue;
      }
      String ref = state.getProfile() == null ? PolicyRefs.AAL_REQUIREMENTS
          : rules.policy().refusalRef(factor.getFactorType(), MoverSubjects.view(state));
      records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
          "no longer qualifies for the role; grace period ended " + entry.getValue(), ref, Severity.MEDIUM, now);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
