package io.authlifecycle.core.binding;

import io.authlifecycle.avro.AuthenticatorBound;

/**
 * The one worker that decides on an {@code AuthenticatorBound}: checks it against the subject's
 * current policy and its ticket, revokes it or accepts it, and tells the subject. Every other
 * worker only records the factor. A ticket's issuer decides on the bindings made under its tickets
 * (single use, window, allowed types); the joiner decides on every other binding of a living
 * subject, in every phase (onboarding, enrolled, after a role change or a recovery). For a
 * subject whose employment has ended the leaver worker decides alone (revoke, end sessions, raise
 * an anomaly), whatever the ticket: each issuer stands aside once its HR reading says terminated.
 */
public enum BindingOwner {
  /** ONBOARDING tickets, bindings without a ticket, tickets of no known purpose. */
  JOINER,
  /** REBIND tickets. */
  MOVER,
  /** RECOVERY tickets. */
  RECOVERY;

  /** Who decides on a binding that names this ticket id (null: none). */
  public static BindingOwner ofTicket(String ticketId) {
    return switch (TicketIds.purposeOf(ticketId)) {
      case REBIND -> MOVER;
      case RECOVERY -> RECOVERY;
      default -> JOINER;
    };
  }

  public static BindingOwner of(AuthenticatorBound bound) {
    return ofTicket(bound.getTicketId());
  }
}
