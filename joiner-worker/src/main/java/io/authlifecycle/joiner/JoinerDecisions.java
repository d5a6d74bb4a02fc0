package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * The joiner worker's decisions, {@code (state, input, now) → Decision}, with no Kafka types.
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

  private final JoinerRecords records;
  private final HireDecisions hire;
  private final ClosingDecisions closing;
  private final FactDecisions facts;
  private final TicketTimers tickets;
  private final SecondFactor secondFactor;

  public JoinerDecisions(JoinerRules rules) {
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
      out = switch (e.getType()) {
        case JOINER, REHIRE -> hire.onHire(open(subjectId, stored), e, now);
        case LEAVER -> closing.onLeaver(open(subjectId, stored), e, now);
        case LEAVER_CANCELLED -> stored == null ? Decision.none() : closing.onCancelled(open(subjectId, stored));
        default -> Decision.none();
      };
    } else if (stored == null) {
      out = Decision.none();
    } else if (input instanceof AuthenticatorBound b) {
      out = facts.onBound(open(subjectId, stored), b, now);
    } else {
      out = facts.onRevoked(open(subjectId, stored), (AuthenticatorRevoked) input, now);
    }
    // Whatever changed the case is remembered with it, so the same event again changes nothing.
    out.state().ifPresent(state -> JoinerCases.remember(state, inputKey));
    return out;
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
      case LEAVER_EFFECTIVE_TIMER -> closing.onEffective(state, timer);
      default -> Decision.none();
    };
  }

  /** A working copy of the stored case (the stored record stays untouched), or a new one for a subject never seen. */
  static JoinerCase open(String subjectId, JoinerCase stored) {
    if (stored == null) {
      return JoinerCase.newBuilder().setSubjectId(subjectId).setPhase(JoinerPhase.UNKNOWN).build();
    }
    return JoinerCase.newBuilder(stored).build();
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
