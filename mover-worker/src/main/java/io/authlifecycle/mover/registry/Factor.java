package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.FactorType;
import java.time.Instant;

/** One authenticator as the registry knows it, with the time of each lifecycle event (63B-4 4.1). */
public final class Factor {

  /** What the IdP last reported. */
  public enum Status { ACTIVE, SUSPENDED, REVOKED, EXPIRED }

  /** What this worker has asked the IdP to do and not yet seen confirmed. */
  public enum Request { NONE, REVOKE, EXPIRE, SUSPEND, RESUME }

  final String id;
  FactorType type = FactorType.UNKNOWN;
  String deviceId;
  Status status = Status.ACTIVE;
  boolean seenBound;
  Instant firstSeenAt;
  Instant boundAt;
  Instant lastUsedAt;
  Instant expiresAt;
  Instant suspendedAt;
  Instant resumedAt;
  Instant revokedAt;
  Instant expiredAt;
  boolean suspendedForNoncompliance;
  Request requested = Request.NONE;
  String requestedCommandId;
  Instant requestedAt;
  int expiryRemindersSent;
  Instant staleReminderAt;

  Factor(String id, Instant firstSeenAt) {
    this.id = id;
    this.firstSeenAt = firstSeenAt;
  }

  public String id() {
    return id;
  }

  public FactorType type() {
    return type;
  }

  public String deviceId() {
    return deviceId;
  }

  public Status status() {
    return status;
  }

  public Request requested() {
    return requested;
  }

  public boolean seenBound() {
    return seenBound;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public Instant lastUsedAt() {
    return lastUsedAt;
  }

  public Instant revokedAt() {
    return revokedAt;
  }

  /** Revoked or expired, or asked to be: it no longer counts as one of the subject's factors. */
  public boolean gone() {
    return status == Status.REVOKED || status == Status.EXPIRED
        || requested == Request.REVOKE || requested == Request.EXPIRE;
  }

  /** Can authenticate now: not gone, not suspended and not about to be. */
  public boolean usable() {
    return !gone() && status == Status.ACTIVE && requested != Request.SUSPEND;
  }

  boolean onDevice(String device) {
    return deviceId != null && deviceId.equals(device);
  }

  /** The last sign of life: use, else binding, else when the registry first heard of it. */
  Instant lastActivity() {
    Instant last = boundAt == null ? firstSeenAt : boundAt;
    return lastUsedAt != null && lastUsedAt.isAfter(last) ? lastUsedAt : last;
  }

  void request(Request request, String commandId, Instant now) {
    this.requested = request;
    this.requestedCommandId = commandId;
    this.requestedAt = now;
  }

  void clearRequest() {
    request(Request.NONE, null, null);
  }
}
