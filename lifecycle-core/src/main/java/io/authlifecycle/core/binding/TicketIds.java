package io.authlifecycle.core.binding;

import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.streams.Ids;
import java.util.Locale;

/**
 * Enrollment ticket ids that name their purpose ({@code rebind-<uuid>}), so any worker can tell
 * from a binding's {@code ticketId} alone which issuer decides on it ({@link BindingOwner}), with
 * no state shared between workers. The rest of the id is derived from the causing event, as every
 * command id is, so a replay gives the same ticket.
 */
public final class TicketIds {

  private TicketIds() {}

  /** A deterministic ticket id of this purpose over the parts. */
  public static String derive(TicketPurpose purpose, String... parts) {
    return prefix(purpose) + Ids.derive(parts);
  }

  /** The purpose a ticket id names; UNKNOWN for none, an id without a known prefix, or an id of an earlier release. */
  public static TicketPurpose purposeOf(String ticketId) {
    if (ticketId == null) {
      return TicketPurpose.UNKNOWN;
    }
    for (TicketPurpose purpose : TicketPurpose.values()) {
      if (purpose != TicketPurpose.UNKNOWN && ticketId.startsWith(prefix(purpose))) {
        return purpose;
      }
    }
    return TicketPurpose.UNKNOWN;
  }

  private static String prefix(TicketPurpose purpose) {
    return purpose.name().toLowerCase(Locale.ROOT) + "-";
  }
}
