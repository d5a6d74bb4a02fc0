package io.authlifecycle.gateway.tickets;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.state.GatewayReported;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.avro.state.GatewayTicket;
import io.authlifecycle.avro.state.GatewayTicketStatus;
import io.authlifecycle.gateway.idp.Binding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The life of enrollment tickets at the IdP, as pure functions of a subject's gateway state and the
 * time: a ticket is SCHEDULED until its notBefore, OPEN (its required action set) until its first
 * binding (USED), its expiry (EXPIRED) or an invalidation (CLOSED). A binding is attributed to the
 * ticket whose required action creates such a credential and whose window held the binding's time.
 * Keycloak cannot express a lifetime, so the gateway keeps it, here and in its timers.
 */
public final class Tickets {

  private static final Set<GatewayTicketStatus> LIVE = EnumSet.of(GatewayTicketStatus.SCHEDULED, GatewayTicketStatus.OPEN);

  private final Duration retain;

  /** {@code retain}: how long a finished ticket is kept, so a binding reported late still finds it. */
  public Tickets(Duration retain) {
    this.retain = retain;
  }

  /** A new ticket, SCHEDULED until notBefore or OPEN now. */
  public static GatewayTicket issue(AuthenticatorCommand command, String requiredAction, Instant now) {
    EnrollmentTicket t = command.getTicket();
    boolean later = t.getNotBefore().isAfter(now);
    return GatewayTicket.newBuilder().setTicketId(t.getTicketId()).setPurpose(t.getPurpose())
        .setIssuedBy(command.getIssuedBy()).setCommandId(command.getCommandId())
        .setAllowedFactorTypes(t.getAllowedFactorTypes()).setRequiredAction(requiredAction)
        .setNotBefore(t.getNotBefore()).setExpiresAt(t.getExpiresAt())
        .setStatus(later ? GatewayTicketStatus.SCHEDULED : GatewayTicketStatus.OPEN)
        .setOpenedAt(later ? null : now).build();
  }

  public static Optional<GatewayTicket> find(GatewaySubject s, String ticketId) {
    return s.getTickets().stream().filter(t -> t.getTicketId().equals(ticketId)).findFirst();
  }

  public static List<GatewayTicket> live(GatewaySubject s) {
    return s.getTickets().stream().filter(t -> LIVE.contains(t.getStatus())).toList();
  }

  /** Required actions that OPEN tickets other than {@code except} still need. */
  public static Set<String> stillNeeded(GatewaySubject s, GatewayTicket except) {
    Set<String> needed = new TreeSet<>();
    s.getTickets().stream().filter(t -> t != except && t.getStatus() == GatewayTicketStatus.OPEN)
        .forEach(t -> needed.add(t.getRequiredAction()));
    return needed;
  }

  /** Ends a ticket with a status and a time. */
  public static void finish(GatewayTicket t, GatewayTicketStatus status, Instant at) {
    t.setStatus(status);
    t.setClosedAt(at);
  }

  /** SCHEDULED tickets whose notBefore has come (and that have not already expired). */
  public static List<GatewayTicket> toOpen(GatewaySubject s, Instant now) {
    return s.getTickets().stream().filter(t -> t.getStatus() == GatewayTicketStatus.SCHEDULED
        && !t.getNotBefore().isAfter(now) && t.getExpiresAt().isAfter(now)).toList();
  }

  /** Live tickets whose expiry has come. */
  public static List<GatewayTicket> toExpire(GatewaySubject s, Instant now) {
    return s.getTickets().stream().filter(t -> LIVE.contains(t.getStatus()) && !t.getExpiresAt().isAfter(now)).toList();
  }

  /** Drops finished tickets and reported bindings kept long enough; true if anything went. */
  public boolean prune(GatewaySubject s, Instant now) {
    List<GatewayTicket> keep = s.getTickets().stream().filter(t -> LIVE.contains(t.getStatus())
        || end(t).plus(retain).isAfter(now)).toList();
    List<GatewayReported> reported = s.getReported().stream().filter(r -> r.getCreatedAt().plus(retain).isAfter(now)).toList();
    boolean changed = keep.size() != s.getTickets().size() || reported.size() != s.getReported().size();
    s.setTickets(new ArrayList<>(keep));
    s.setReported(new ArrayList<>(reported));
    return changed;
  }

  /** When the subject's tickets next need the gateway: an opening, an expiry, or pruning. */
  public Optional<Instant> nextDue(GatewaySubject s) {
    Stream<Instant> tickets = s.getTickets().stream().map(t -> switch (t.getStatus()) {
      case SCHEDULED -> t.getNotBefore();
      case OPEN -> t.getExpiresAt();
      default -> end(t).plus(retain);
    });
    Stream<Instant> reported = s.getReported().stream().map(r -> r.getCreatedAt().plus(retain));
    return Stream.concat(tickets, reported).min(Comparator.naturalOrder());
  }

  /**
   * The ticket a binding was registered under: same enrollment action, opened at or before the
   * binding, and not closed, expired or past its expiry before it. An unused ticket wins over a used
   * one, then the earliest opened. A binding under a USED ticket is reported with it (reuse).
   */
  public static Optional<GatewayTicket> attribute(GatewaySubject s, Binding b) {
    return s.getTickets().stream()
        .filter(t -> t.getRequiredAction().equals(b.enrolledBy()))
        .filter(t -> t.getOpenedAt() != null && !t.getOpenedAt().isAfter(b.boundAt()))
        .filter(t -> !b.boundAt().isAfter(t.getExpiresAt()))
        .filter(t -> t.getStatus() == GatewayTicketStatus.OPEN || t.getStatus() == GatewayTicketStatus.USED
            || t.getClosedAt() != null && !b.boundAt().isAfter(t.getClosedAt()))
        .min(Comparator.comparing((GatewayTicket t) -> t.getStatus() == GatewayTicketStatus.USED)
            .thenComparing(GatewayTicket::getOpenedAt));
  }

  public static boolean reported(GatewaySubject s, String authenticatorId) {
    return s.getReported().stream().anyMatch(r -> r.getAuthenticatorId().equals(authenticatorId));
  }

  private static Instant end(GatewayTicket t) {
    Instant closed = t.getClosedAt() == null ? t.getExpiresAt() : t.getClosedAt();
    return t.getStatus() == GatewayTicketStatus.USED && t.getExpiresAt().isAfter(closed) ? t.getExpiresAt() : closed;
  }
}
