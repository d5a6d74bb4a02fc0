package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.Folded;
import io.authlifecycle.core.hr.HrChange;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.hr.Standings;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * The joiner worker's decisions, {@code (state, input, now) → Decision}, with no Kafka types. HR
 * events go through lifecycle-core's one HR fold first, whose standing the case keeps.
 * JOINER and REHIRE open or renew the onboarding case ({@link HireDecisions}); LEAVER and
 * LEAVER_CANCELLED close it or drop a pending closing ({@link ClosingDecisions}); bindings and
 * revocations the IdP reports are checked against the case ({@link FactDecisions}); timers remind,
 * expire tickets ({@link TicketTimers}), nudge towards a second factor ({@link SecondFactor}) or
 * close the case of a future-dated leaver. Each works on a copy of the stored {@link JoinerCase} and
 * stores it when it changed. An event already seen (its topic and id) changes nothing.
 */
public final class JoinerDecisions {

  /** Ticket reminder timers: this prefix and the reminder's index, one per configured offset. */
  public static final String TICKET_REMINDER_TIMER = "ticket.reminder.";
  /** The ticket's expiry. */
  public static final String TICKET_EXPIRY_TIMER = "ticket.expiry";
  /** The reminder to a subject with exactly one factor. */
  public static final String SECOND_FACTOR_TIMER = "factor.second.reminder";
  /** A future-dated leaver's effective time: the case closes then. */
  public static final String LEAVER_EFFECTIVE_TIMER = "leaver.effective";
  /** The attribute of a ticket timer that names its ticket. */
  static final String TICKET_ID_ATTRIBUTE = "ticketId";

  static {
    // Copying a case resolves its enum classes through Avro, which the schema catalog's trust rule allows.
    SchemaCatalog.get();
  }

  private final JoinerRules rules;
  private final JoinerRecords records;
  private final HireDecisions hire;
  private final ClosingDecisions closing;
  private final FactDecisions facts;
  private final TicketTimers tickets;
  private final SecondFactor secondFactor;

  public JoinerDecisions(JoinerRules rules) {
    this.rules = rules;
    this.records = new JoinerRecords(rules);
    this.secondFactor = new SecondFactor(rules, records);
    this.hire = new HireDecisions(rules, records);
    this.closing = new ClosingDecisions(records);
    this.facts = new FactDecisions(rules, records, secondFactor);
    this.tickets = new TicketTimers(rules, records);
  }

  /** Whether {@link #decide} may act on this kind of record; for any other kind it decides nothing. */
  public static boolean concerns(Object input) {
    return input instanceof WorkerEvent || input instanceof AuthenticatorBound || input instanceof AuthenticatorRevoked;
  }

  /** The ticket id a hire event's ticket gets. */
  public String ticketId(String hrEventId) {
    return records.ticketId(hrEventId);
  }

  /**
   * Decides on one input for the subject whose stored case is {@code stored} (null if never seen).
   * HR events other than the four above are not the joiner's; facts about a subject without a case neither.
   */
  public Decision<JoinerCase> decide(JoinerCase stored, String subjectId, Object input, Instant now) {
    if (eventId(input) == null) {
      return Decision.none();
    }
    // Keyed by topic too: an IdP fact reusing an HR event's id must not suppress the HR event.
    String inputKey = Ids.inputKey((SpecificRecord) input);
    if (stored != null && JoinerCases.seen(stored, inputKey)) {
      return Decision.none();
    }
    Decision<JoinerCase> out;
    if (input instanceof WorkerEvent e) {
      out = onWorkerEvent(open(subjectId, stored), e, now);
    } else if (stored == null) {
      out = Decision.none();
    } else {
      JoinerCase state = open(subjectId, stored);
      // Time first: a pending leaver whose effective time came closes the case before the fact is judged.
      out = state.getStanding().getPhase() == HrPhase.LEAVE_PENDING && Standings.terminated(state.getStanding(), now)
          ? closing.onEffective(state, false, null, now) : Decision.none();
      out.add(input instanceof AuthenticatorBound b ? facts.onBound(state, b, now)
          : facts.onRevoked(state, (AuthenticatorRevoked) input, now));
    }
    // Whatever changed the case is remembered with it, so the same event again changes nothing.
    out.state().ifPresent(state -> JoinerCases.remember(state, inputKey));
    return out;
  }

  /**
   * An HR event, read through the one HR fold: the case keeps the new standing (and stores it when
   * it changed), a termination closes it, and the event's own kind decides the rest.
   */
  private Decision<JoinerCase> onWorkerEvent(JoinerCase state, WorkerEvent e, Instant now) {
    Folded folded = StandingFold.fold(state.getStanding(), e, now, rules.standing());
    JoinerCases.takeStanding(state, folded.after());
    Decision<JoinerCase> out = folded.changed() ? Decision.storing(state) : Decision.none();
    if (folded.has(HrChange.TERMINATED) && state.getPhase() != JoinerPhase.CLOSED) {
      out.add(closing.close(state, folded.after().getLeave().getEventId()));
    }
    return out.add(switch (e.getType()) {
      case JOINER, REHIRE -> hire.onHire(state, e, folded, now);
      case LEAVER -> closing.onLeaver(state, folded);
      case LEAVER_CANCELLED -> closing.onCancelled(state, folded);
      default -> Decision.none();
    });
  }

  /** A timer of the subject came due; one of a subject without a case, or that the case moved past, decides nothing. */
  public Decision<JoinerCase> onTimer(JoinerCase stored, TimerEntry timer, Instant now) {
    if (stored == null) {
      return Decision.none();
    }
    JoinerCase state = open(stored.getSubjectId(), stored);
    String kind = timer.getKind();
    if (kind.startsWith(TICKET_REMINDER_TIMER)) {
      return tickets.reminder(state, timer, now);
    }
    return switch (kind) {
      case TICKET_EXPIRY_TIMER -> tickets.expiry(state, timer, now);
      case SECOND_FACTOR_TIMER -> secondFactor.onDue(state, timer, now);
      case LEAVER_EFFECTIVE_TIMER -> closing.onEffective(state, stored.getStanding() == null, timer, now);
      default -> Decision.none();
    };
  }

  /**
   * A working copy of the stored case (the stored record stays untouched), or a new one for a
   * subject never seen; a case of the earlier release gets its standing seeded from its own fields.
   */
  static JoinerCase open(String subjectId, JoinerCase stored) {
    if (stored == null) {
      return JoinerCase.newBuilder().setSubjectId(subjectId).setPhase(JoinerPhase.UNKNOWN)
          .setStanding(StandingFold.unknown()).build();
    }
    JoinerCase copy = JoinerCase.newBuilder(stored).build();
    if (copy.getStanding() == null) {
      copy.setStanding(JoinerCases.seed(copy));
    }
    return copy;
  }

  private static String eventId(Object input) {
    if (input instanceof WorkerEvent e) {
      return e.getEventId();
    } else if (input instanceof AuthenticatorBound b) {
      return b.getEventId();
    } else if (input instanceof AuthenticatorRevoked r) {
      return r.getEventId();
    }
    return null;
  }
}
