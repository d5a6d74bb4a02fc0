package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerFactor;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One subject's onboarding case over its stored form: the phase it is in, the tickets this
 * worker issued, the factors the IdP reported, the verifications already used and the events
 * already seen. Lists are bounded so a long-lived subject costs a fixed amount of state.
 */
public final class OnboardingCase {

  static final int RECENT_EVENTS = 100;
  static final int KEPT_TICKETS = 10;
  static final int KEPT_VERIFICATIONS = 50;
  static final int KEPT_FACTORS = 50;

  /** Phases in which a binding must come through one of this worker's tickets. */
  private static final Set<JoinerPhase> ONBOARDING = EnumSet.of(JoinerPhase.AWAITING_VERIFICATION,
      JoinerPhase.TICKET_OPEN, JoinerPhase.TICKET_EXPIRED, JoinerPhase.POLICY_VIOLATION);

  static {
    // Copying a case resolves its enum classes through Avro, which the schema catalog's trust rule allows.
    SchemaCatalog.get();
  }

  private final JoinerCase record;

  private OnboardingCase(JoinerCase record) {
    this.record = record;
  }

  /** Wraps a stored case (copied, so the caller's record is untouched), or starts a new one when there is none. */
  public static OnboardingCase of(JoinerCase stored, String subjectId) {
    if (stored == null) {
      return new OnboardingCase(JoinerCase.newBuilder().setSubjectId(subjectId).setPhase(JoinerPhase.UNKNOWN).build());
    }
    return new OnboardingCase(JoinerCase.newBuilder(stored).build());
  }

  public JoinerCase record() {
    return record;
  }

  public String subjectId() {
    return record.getSubjectId();
  }

  public JoinerPhase phase() {
    return record.getPhase();
  }

  void phase(JoinerPhase phase) {
    record.setPhase(phase);
  }

  /** Whether the subject is being onboarded: any binding must then use an open ticket of this worker. */
  public boolean inOnboarding() {
    return ONBOARDING.contains(record.getPhase());
  }

  public boolean seen(String eventId) {
    return record.getRecentEventIds().contains(eventId);
  }

  void remember(String eventId) {
    record.setRecentEventIds(appendBounded(record.getRecentEventIds(), eventId, RECENT_EVENTS));
  }

  /** Takes who the subject is from the latest hire event. */
  void takeProfile(WorkerEvent event, String correlationId) {
    record.setIdentityType(event.getIdentityType());
    record.setPrivileged(event.getPrivileged());
    record.setRole(event.getRole());
    record.setManagerId(event.getManagerId());
    record.setChannels(new ArrayList<>(event.getChannels()));
    record.setHireEventId(event.getEventId());
    record.setHireEventTime(event.getEventTime());
    record.setCorrelationId(correlationId);
  }

  public SubjectProfile profile() {
    IdentityType type = record.getIdentityType() == null ? IdentityType.UNKNOWN : record.getIdentityType();
    return new SubjectProfile(type, record.getPrivileged(), record.getRole());
  }

  public String correlationId() {
    return record.getCorrelationId() == null ? "joiner:" + subjectId() : record.getCorrelationId();
  }

  public boolean verificationUsed(String verificationId) {
    return record.getUsedVerificationIds().contains(verificationId);
  }

  void useVerification(String verificationId) {
    record.setUsedVerificationIds(appendBounded(record.getUsedVerificationIds(), verificationId, KEPT_VERIFICATIONS));
  }

  public Optional<JoinerTicket> ticket(String ticketId) {
    return record.getTickets().stream().filter(t -> t.getTicketId().equals(ticketId)).findFirst();
  }

  public Optional<JoinerTicket> openTicket() {
    return record.getTickets().stream().filter(t -> t.getStatus() == JoinerTicketStatus.OPEN).findFirst();
  }

  /** Adds a ticket, forgetting the oldest closed ones beyond the bound. */
  void addTicket(JoinerTicket ticket) {
    List<JoinerTicket> tickets = new ArrayList<>(record.getTickets());
    tickets.add(ticket);
    while (tickets.size() > KEPT_TICKETS) {
      tickets.remove(tickets.stream().filter(t -> t.getStatus() != JoinerTicketStatus.OPEN).findFirst()
          .orElse(tickets.get(0)));
    }
    record.setTickets(tickets);
  }

  void closeTicket(JoinerTicket ticket, JoinerTicketStatus status, String consumedBy) {
    ticket.setStatus(status);
    ticket.setConsumedBy(consumedBy);
  }

  public List<JoinerFactor> factors() {
    return record.getFactors();
  }

  public long activeFactors() {
    return record.getFactors().stream().filter(JoinerFactor::getActive).count();
  }

  public Optional<JoinerFactor> factor(String authenticatorId) {
    return record.getFactors().stream().filter(f -> f.getAuthenticatorId().equals(authenticatorId)).findFirst();
  }

  /** Records a binding; an inactive one is a factor this worker asked the IdP to revoke. */
  void addFactor(AuthenticatorBound bound, boolean active) {
    List<JoinerFactor> factors = new ArrayList<>(record.getFactors());
    factors.removeIf(f -> f.getAuthenticatorId().equals(bound.getAuthenticatorId()));
    factors.add(JoinerFactor.newBuilder().setAuthenticatorId(bound.getAuthenticatorId())
        .setFactorType(bound.getFactorType()).setDeviceId(bound.getDeviceId()).setTicketId(bound.getTicketId())
        .setBoundAt(bound.getEventTime()).setActive(active).build());
    while (factors.size() > KEPT_FACTORS) {
      factors.remove(factors.stream().filter(f -> !f.getActive()).findFirst().orElse(factors.get(0)));
    }
    record.setFactors(factors);
  }

  /** Marks a factor revoked; false if it was unknown or already inactive. */
  boolean deactivate(String authenticatorId) {
    Optional<JoinerFactor> factor = factor(authenticatorId).filter(JoinerFactor::getActive);
    factor.ifPresent(f -> f.setActive(false));
    return factor.isPresent();
  }

  public Optional<Instant> secondFactorReminderAt() {
    return Optional.ofNullable(record.getSecondFactorReminderAt());
  }

  void secondFactorReminderAt(Instant at) {
    record.setSecondFactorReminderAt(at);
  }

  private static List<String> appendBounded(List<String> list, String value, int bound) {
    List<String> copy = new ArrayList<>(list);
    copy.remove(value);
    copy.add(value);
    return copy.size() > bound ? new ArrayList<>(copy.subList(copy.size() - bound, copy.size())) : copy;
  }
}
