package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recovery worker's decisions, {@code (state, input, now) → Decision}, with no Kafka types:
 * HR events ({@link HrDecisions}), recovery requests and cancels with the channel of the topic they
 * came on ({@link ReceivedRequest}, {@link RequestDecisions}), signed
 * approval decisions ({@link ApprovalDecisions}), authenticator facts ({@link FactDecisions}) and
 * due timers ({@link TimerDecisions}). Each works on a copy of the stored {@link RecoverySubject};
 * an input seen before decides nothing.
 */
public final class RecoveryDecisions {

  /** How many recent event ids a subject remembers to recognise duplicates. */
  static final int RECENT_EVENT_IDS = 256;

  private final RecoveryRules rules;

  public RecoveryDecisions(RecoveryRules rules) {
    this.rules = rules;
  }

  /** Whether {@link #decide} acts on this kind of record; facts that only say something was used or applied do not. */
  public static boolean concerns(Object input) {
    return eventId(input) != null;
  }

  /** Decides on one input for the subject whose stored state is {@code stored} (null if never seen). */
  public Decision<RecoverySubject> decide(RecoverySubject stored, String subjectId, Object input, Instant now) {
    String eventId = eventId(input);
    if (eventId == null) {
      return Decision.none();
    }
    String inputKey = inputKey(input, eventId);
    // A bare id was remembered by an earlier release: an input re-sent across an upgrade is still a duplicate.
    if (stored != null && (stored.getRecentEventIds().contains(inputKey) || stored.getRecentEventIds().contains(eventId))) {
      return Decision.none();
    }
    RecoverySubject s = open(subjectId, stored);
    remember(s, inputKey);
    Decision<RecoverySubject> out = Decision.storing(s);
    if (input instanceof WorkerEvent event) {
      return out.add(HrDecisions.onWorkerEvent(rules, s, event, now));
    } else if (input instanceof ReceivedRequest request) {
      return out.add(RequestDecisions.onRequest(rules, s, request, now));
    } else if (input instanceof ApprovalDecision decision) {
      return out.add(ApprovalDecisions.decide(rules, s, decision, now));
    } else if (input instanceof RecoveryRequest) {
      throw new IllegalArgumentException("a recovery request is decided with the channel of its topic (ReceivedRequest)");
    }
    return out.add(FactDecisions.onFact(rules, s, input, now));
  }

  /** A timer of the subject came due; the state is stored only if the timer decided something. */
  public Decision<RecoverySubject> onTimer(RecoverySubject stored, TimerEntry timer, Instant now) {
    RecoverySubject s = open(timer.getOwner(), stored);
    String kind = timer.getKind();
    String requestId = timer.getAttributes().get("requestId");
    Decision<RecoverySubject> out;
    if (kind.startsWith(RecoveryRecords.DEADLINE)) {
      out = TimerDecisions.deadlinePassed(rules, s, requestId, timer, now);
    } else if (kind.startsWith(RecoveryRecords.COOLING_OFF)) {
      out = TimerDecisions.coolingOffEnded(rules, s, requestId, timer, now);
    } else if (kind.startsWith(RecoveryRecords.TICKET_EXPIRY)) {
      out = TicketDecisions.expired(rules, s, requestId, timer, now);
    } else if (kind.equals(RecoveryRecords.UNLOCK)) {
      out = TimerDecisions.unlock(s, timer, now);
    } else {
      throw new IllegalStateException(rules.worker() + " scheduled a timer it does not handle: " + kind);
    }
    return out.isEmpty() ? out : Decision.storing(s).add(out);
  }

  /**
   * A working copy of the stored subject (Avro's builder copies deeply), or a new one for a subject
   * never seen; a subject of the earlier release gets its standing seeded from its own HR fields.
   */
  static RecoverySubject open(String subjectId, RecoverySubject stored) {
    if (stored == null) {
      return RecoverySubject.newBuilder().setSubjectId(subjectId).setStanding(StandingFold.unknown()).build();
    }
    RecoverySubject copy = RecoverySubject.newBuilder(stored).build();
    if (copy.getStanding() == null) {
      copy.setStanding(RecoverySubjects.seed(copy));
    }
    return copy;
  }

  static void remember(RecoverySubject s, String eventId) {
    List<String> ids = new ArrayList<>(s.getRecentEventIds());
    ids.add(eventId);
    while (ids.size() > RECENT_EVENT_IDS) {
      ids.remove(0);
    }
    s.setRecentEventIds(ids);
  }

  /**
   * What an input is remembered by: its event id within its source. HR, each request channel's
   * tool, the approvers' console and the IdP gateway number their events independently, so an id
   * seen from one says nothing about an event of another.
   */
  private static String inputKey(Object input, String eventId) {
    String source;
    if (input instanceof WorkerEvent) {
      source = "hr:";
    } else if (input instanceof ReceivedRequest r) {
      source = r.channel() + ":";
    } else if (input instanceof RecoveryRequest r) {
      source = r.getChannel() + ":";
    } else if (input instanceof ApprovalDecision) {
      source = "approval:";
    } else {
      source = "idp:";
    }
    return source + eventId;
  }

  private static String eventId(Object input) {
    if (input instanceof WorkerEvent e) {
      return e.getEventId();
    } else if (input instanceof ReceivedRequest r) {
      return r.request().getEventId();
    } else if (input instanceof RecoveryRequest r) {
      return r.getEventId();
    } else if (input instanceof ApprovalDecision d) {
      return d.getEventId();
    } else if (input instanceof AuthenticatorBound b) {
      return b.getEventId();
    } else if (input instanceof AuthenticatorRevoked r) {
      return r.getEventId();
    } else if (input instanceof AuthenticatorSuspended s) {
      return s.getEventId();
    } else if (input instanceof AuthenticatorResumed r) {
      return r.getEventId();
    }
    return null;
  }
}
