package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.DeviceEventType;
import java.time.Instant;

/**
 * What MDM said about one device of the subject. A lost, stolen, wiped or retired device blocks
 * every binding on it made before it was cleared (found after a loss, re-enrolled after a wipe),
 * so a binding fact that arrives late is revoked too.
 */
public final class DeviceMark {

  final String deviceId;
  DeviceEventType blockedBy;
  String blockedEventId;
  Instant blockedAt;
  boolean rebindDecided;
  Instant clearedAt;
  String noncompliantEventId;
  Instant noncompliantAt;

  DeviceMark(String deviceId) {
    this.deviceId = deviceId;
  }

  public String deviceId() {
    return deviceId;
  }

  public DeviceEventType blockedBy() {
    return blockedBy;
  }

  public Instant clearedAt() {
    return clearedAt;
  }

  public boolean noncompliant() {
    return noncompliantEventId != null;
  }

  /** Lost or stolen and not found since. */
  public boolean lost() {
    return clearedAt == null && (blockedBy == DeviceEventType.LOST || blockedBy == DeviceEventType.STOLEN);
  }

  /** Wiped or retired and not re-enrolled since. */
  boolean retired() {
    return clearedAt == null && (blockedBy == DeviceEventType.WIPED || blockedBy == DeviceEventType.RETIRED);
  }

  /** Whether a factor bound at {@code boundAt} on this device must not live. */
  boolean blocks(Instant boundAt) {
    if (blockedBy == null) {
      return false;
    }
    return clearedAt == null || boundAt == null || !boundAt.isAfter(clearedAt);
  }

  void block(DeviceEventType type, String eventId, Instant at) {
    blockedBy = type;
    blockedEventId = eventId;
    blockedAt = at;
    rebindDecided = false;
    clearedAt = null;
  }
}
