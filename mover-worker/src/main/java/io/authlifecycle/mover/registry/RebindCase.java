package io.authlifecycle.mover.registry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An open role-change re-bind: the ticket issued and, per factor that no longer qualifies, the end of its grace. */
public final class RebindCase {

  final String correlationId;
  final String causationId;
  final Instant causationTime;
  String ticketId;
  final Map<String, Instant> graceUntil = new LinkedHashMap<>();

  RebindCase(String correlationId, String causationId, Instant causationTime) {
    this.correlationId = correlationId;
    this.causationId = causationId;
    this.causationTime = causationTime;
  }

  public Map<String, Instant> graceUntil() {
    return Map.copyOf(graceUntil);
  }

  public String ticketId() {
    return ticketId;
  }

  public String correlationId() {
    return correlationId;
  }
}
