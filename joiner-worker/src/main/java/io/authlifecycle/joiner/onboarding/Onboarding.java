package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The onboarding state machine: one subject's stored case and one input (an HR event, an IdP
 * fact or a due timer) in, the decision out. No Kafka here; the processor stores and emits.
 * An event id already seen changes nothing.
 */
public final class Onboarding {

  /** Reminder kinds cancelled beyond the configured count, so a shorter list after a configuration change leaves none behind. */
  static final int SPARE_REMINDER_KINDS = 8;

  private final Drafts drafts;
  private final List<String> timerKinds;
  private final HireDecision hire;
  private final BindingDecision binding;
  private final TicketTimers ticketTimers;
  private final SecondFactor secondFactor;

  public Onboarding(String worker, AssurancePolicy policy, JoinerConfig config) {
    this.drafts = new Drafts(worker);
    this.secondFactor = new SecondFactor(drafts, config);
    this.hire = new HireDecision(drafts, policy, config);
    this.binding = new BindingDecision(drafts, policy, secondFactor);
    this.ticketTimers = new TicketTimers(drafts, config);
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < config.reminderOffsets().size() + SPARE_REMINDER_KINDS; i++) {
      kinds.add(Actions.TIMER_TICKET_REMINDER + i);
    }
    kinds.add(Actions.TIMER_TICKET_EXPIRY);
    kinds.add(Actions.TIMER_SECOND_FACTOR);
    kinds.add(Actions.TIMER_LEAVER_EFFECTIVE);
    this.timerKinds = List.copyOf(kinds);
  }

  /**
   * Every timer kind this worker schedules that starts with {@code prefix} (an outcome's cancelled
   * kind): the processor cancels them one by one with point lookups, because a prefix scan on a
   * RocksDB store walks every deleted key that compaction has not removed yet.
   */
  public List<String> timerKinds(String prefix) {
    return timerKinds.stream().filter(k -> k.startsWith(prefix)).toList();
  }

  /** The ticket id a hire event's ticket gets. */
  public String ticketId(String hrEventId) {
    return HireDecision.ticketId(drafts.worker(), hrEventId);
  }

  /**
   * Joiners and rehires open or renew a case (a rehire also drops a pending leaver); an effective
   * leaver closes it (a subject never seen here too, so a later JOINER is refused: only a REHIRE
   * reopens), a future-dated one closes it at its effective time unless cancelled first; other HR
   * events are not the joiner's.
   */
  public Outcome onWorkerEvent(JoinerCase stored, WorkerEvent event, Instant now) {
    switch (event.getType()) {
      case JOINER:
      case REHIRE: {
        OnboardingCase onboarding = OnboardingCase.of(stored, event.getSubjectId());
        if (onboarding.seen(event.getEventId())) {
          return Outcome.none();
        }
        onboarding.remember(event.getEventId());
        Outcome out = hire.decide(onboarding, event, now);
        return event.getType() == WorkerEventType.REHIRE ? out.cancelTimers(Actions.TIMER_LEAVER_EFFECTIVE) : out;
      }
      case LEAVER: {
        OnboardingCase onboarding = OnboardingCase.of(stored, event.getSubjectId());
        if (onboarding.seen(event.getEventId()) || onboarding.phase() == JoinerPhase.CLOSED) {
          return Outcome.none();
        }
        onboarding.remember(event.getEventId());
        if (event.getEffectiveTime().isAfter(now) && !event.getImmediate()) {
          return Outcome.storing(onboarding).schedule(TimerEntry.newBuilder().setOwner(event.getSubjectId())
              .setKind(Actions.TIMER_LEAVER_EFFECTIVE).setDueAt(event.getEffectiveTime())
              .setCausationId(event.getEventId()).setCorrelationId("leaver:" + event.getSubjectId() + ":" + event.getEventId())
              .setAttributes(Map.of()).build());
        }
        return close(onboarding, event.getEventId());
      }
      case LEAVER_CANCELLED: {
        if (stored == null) {
          return Outcome.none();
        }
        OnboardingCase onboarding = OnboardingCase.of(stored, event.getSubjectId());
        if (onboarding.seen(event.getEventId())) {
          return Outcome.none();
        }
        onboarding.remember(event.getEventId());
        return Outcome.storing(onboarding).cancelTimers(Actions.TIMER_LEAVER_EFFECTIVE);
      }
      default:
        return Outcome.none();
    }
  }

  /** Whether {@link #onAuthenticatorFact} acts on this kind of fact at all (bindings and revocations only). */
  public boolean concerns(SpecificRecord fact) {
    return fact instanceof AuthenticatorBound || fact instanceof AuthenticatorRevoked;
  }

  /** Bindings and revocations the IdP reports, for subjects this worker has a case for. */
  public Outcome onAuthenticatorFact(JoinerCase stored, SpecificRecord fact, Instant now) {
    if (stored == null) {
      return Outcome.none();
    }
    OnboardingCase onboarding = OnboardingCase.of(stored, stored.getSubjectId());
    if (fact instanceof AuthenticatorBound bound && !onboarding.seen(bound.getEventId())) {
      return binding.bound(onboarding, bound, now);
    }
    if (fact instanceof AuthenticatorRevoked revoked && !onboarding.seen(revoked.getEventId())) {
      return binding.revoked(onboarding, revoked, now);
    }
    return Outcome.none();
  }

  public Outcome onTimer(JoinerCase stored, TimerEntry timer, Instant now) {
    if (stored == null) {
      return Outcome.none();
    }
    OnboardingCase onboarding = OnboardingCase.of(stored, stored.getSubjectId());
    String kind = timer.getKind();
    if (kind.startsWith(Actions.TIMER_TICKET_REMINDER)) {
      return ticketTimers.reminder(onboarding, timer, now);
    }
    if (kind.equals(Actions.TIMER_TICKET_EXPIRY)) {
      return ticketTimers.expiry(onboarding, timer, now);
    }
    if (kind.equals(Actions.TIMER_SECOND_FACTOR)) {
      return secondFactor.fire(onboarding, timer, now);
    }
    if (kind.equals(Actions.TIMER_LEAVER_EFFECTIVE) && onboarding.phase() != JoinerPhase.CLOSED) {
      return close(onboarding, timer.getCausationId());
    }
    return Outcome.none();
  }

  /**
   * The subject left: no more reminders or escalations. The leaver worker revokes factors and open
   * tickets; here the open ticket is only marked closed, so a late binding through it is revoked.
   */
  private Outcome close(OnboardingCase onboarding, String causationId) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("previousPhase", onboarding.phase().name());
    onboarding.openTicket().ifPresent(t -> {
      details.put("openTicketId", t.getTicketId());
      onboarding.closeTicket(t, JoinerTicketStatus.SUPERSEDED, null);
    });
    onboarding.phase(JoinerPhase.CLOSED);
    onboarding.secondFactorReminderAt(null);
    return Outcome.storing(onboarding)
        .cancelTimers(Actions.TICKET_TIMERS)
        .cancelTimers(Actions.TIMER_SECOND_FACTOR)
        .cancelTimers(Actions.TIMER_LEAVER_EFFECTIVE)
        .audit(drafts.audit(onboarding, Actions.CASE_CLOSED, AuditOutcome.CANCELLED, Severity.INFO,
                PolicyRefs.INVALIDATION, causationId, onboarding.correlationId())
            .setReason("LEAVER")
            .setDetails(details));
  }
}
