package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerFactor;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.core.policy.SubjectProfile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The readings and bounded updates of a {@link JoinerCase} that several decisions share, as pure
 * functions on the generated record. The lists are bounded so a long-lived subject costs a fixed
 * amount of state.
 */
final class JoinerCases {

  static final int RECENT_EVENTS = 100;
  static final int KEPT_TICKETS = 10;
  static final int KEPT_VERIFICATIONS = 50;
  static final int KEPT_FACTORS = 50;

  /** Phases in which a binding must come through one of this worker's tickets. */
  private static final Set<JoinerPhase> ONBOARDING = EnumSet.of(JoinerPhase.AWAITING_VERIFICATION,
      JoinerPhase.TICKET_OPEN, JoinerPhase.TICKET_EXPIRED, JoinerPhase.POLICY_VIOLATION);

  private JoinerCases() {}

  /** Whether the subject is being onboarded: any binding must then use an open ticket of this worker. */
  static boolean inOnboarding(JoinerCase state) {
    return ONBOARDING.contains(state.getPhase());
  }

  /** Whether the input ({@link io.authlifecycle.core.streams.Ids#inputKey its topic and event id}) was decided already. */
  static boolean seen(JoinerCase state, String inputKey) {
    return state.getRecentEventIds().contains(inputKey);
  }

  static void remember(JoinerCase state, String inputKey) {
    state.setRecentEventIds(appendBounded(state.getRecentEventIds(), inputKey, RECENT_EVENTS));
  }

  /** The hire event that opened the current case. */
  static void takeHire(JoinerCase state, WorkerEvent event, String correlationId) {
    state.setHireEventId(event.getEventId());
    state.setHireEventTime(event.getEventTime());
    state.setCorrelationId(correlationId);
  }

  /**
   * Keeps the folded standing, and copies who the subject is into the case's own profile fields:
   * the decisions read those, and so does a reader of the earlier release.
   */
  static void takeStanding(JoinerCase state, HrStanding standing) {
    state.setStanding(standing);
    state.setIdentityType(standing.getIdentityType());
    state.setPrivileged(standing.getPrivileged());
    state.setRole(standing.getRole());
    state.setManagerId(standing.getManagerId());
    state.setChannels(new ArrayList<>(standing.getChannels()));
  }

  /**
   * The standing of a case written before the standing existed: a closed case is a terminated
   * subject (when is unknown, so only the maximum age bounds a rehire's verification), any other
   * phase an active one, with the case's profile.
   */
  static HrStanding seed(JoinerCase state) {
    HrPhase phase = switch (state.getPhase()) {
      case CLOSED -> HrPhase.TERMINATED;
      case UNKNOWN -> HrPhase.UNKNOWN;
      default -> HrPhase.ACTIVE;
    };
    return HrStanding.newBuilder().setPhase(phase)
        .setIdentityType(state.getIdentityType() == null ? IdentityType.UNKNOWN : state.getIdentityType())
        .setPrivileged(state.getPrivileged()).setRole(state.getRole()).setManagerId(state.getManagerId())
        .setChannels(new ArrayList<>(state.getChannels()))
        .setLastEventId(state.getHireEventId()).setLastEventTime(state.getHireEventTime()).build();
  }

  static SubjectProfile profile(JoinerCase state) {
    IdentityType type = state.getIdentityType() == null ? IdentityType.UNKNOWN : state.getIdentityType();
    return new SubjectProfile(type, state.getPrivileged(), state.getRole());
  }

  static String correlationId(JoinerCase state) {
    return state.getCorrelationId() == null ? "joiner:" + state.getSubjectId() : state.getCorrelationId();
  }

  static boolean verificationUsed(JoinerCase state, String verificationId) {
    return state.getUsedVerificationIds().contains(verificationId);
  }

  static void useVerification(JoinerCase state, String verificationId) {
    state.setUsedVerificationIds(appendBounded(state.getUsedVerificationIds(), verificationId, KEPT_VERIFICATIONS));
  }

  static Optional<JoinerTicket> ticket(JoinerCase state, String ticketId) {
    return state.getTickets().stream().filter(t -> t.getTicketId().equals(ticketId)).findFirst();
  }

  static Optional<JoinerTicket> openTicket(JoinerCase state) {
    return state.getTickets().stream().filter(t -> t.getStatus() == JoinerTicketStatus.OPEN).findFirst();
  }

  /** Adds a ticket, forgetting the oldest closed ones beyond the bound. */
  static void addTicket(JoinerCase state, JoinerTicket ticket) {
    List<JoinerTicket> tickets = new ArrayList<>(state.getTickets());
    tickets.add(ticket);
    while (tickets.size() > KEPT_TICKETS) {
      tickets.remove(tickets.stream().filter(t -> t.getStatus() != JoinerTicketStatus.OPEN).findFirst()
          .orElse(tickets.get(0)));
    }
    state.setTickets(tickets);
  }

  static void closeTicket(JoinerTicket ticket, JoinerTicketStatus status, String consumedBy) {
    ticket.setStatus(status);
    ticket.setConsumedBy(consumedBy);
  }

  static long activeFactors(JoinerCase state) {
    return state.getFactors().stream().filter(JoinerFactor::getActive).count();
  }

  /** Records a binding; an inactive one is a factor this worker asked the IdP to revoke. */
  static void addFactor(JoinerCase state, AuthenticatorBound bound, boolean active) {
    List<JoinerFactor> factors = new ArrayList<>(state.getFactors());
    factors.removeIf(f -> f.getAuthenticatorId().equals(bound.getAuthenticatorId()));
    factors.add(JoinerFactor.newBuilder().setAuthenticatorId(bound.getAuthenticatorId())
        .setFactorType(bound.getFactorType()).setDeviceId(bound.getDeviceId()).setTicketId(bound.getTicketId())
        .setBoundAt(bound.getEventTime()).setActive(active).build());
    while (factors.size() > KEPT_FACTORS) {
      factors.remove(factors.stream().filter(f -> !f.getActive()).findFirst().orElse(factors.get(0)));
    }
    state.setFactors(factors);
  }

  /** Whether the case holds this authenticator as an active factor. */
  static boolean activeFactor(JoinerCase state, String authenticatorId) {
    return state.getFactors().stream().anyMatch(f -> f.getAuthenticatorId().equals(authenticatorId) && f.getActive());
  }

  /** Marks a factor revoked; false if it was unknown or already inactive. */
  static boolean deactivate(JoinerCase state, String authenticatorId) {
    Optional<JoinerFactor> factor = state.getFactors().stream()
        .filter(f -> f.getAuthenticatorId().equals(authenticatorId)).findFirst().filter(JoinerFactor::getActive);
    factor.ifPresent(f -> f.setActive(false));
    return factor.isPresent();
  }

  private static List<String> appendBounded(List<String> list, String value, int bound) {
    List<String> copy = new ArrayList<>(list);
    copy.remove(value);
    copy.add(value);
    return copy.size() > bound ? new ArrayList<>(copy.subList(copy.size() - bound, copy.size())) : copy;
  }
}
