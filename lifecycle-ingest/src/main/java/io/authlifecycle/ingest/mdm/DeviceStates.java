package io.authlifecycle.ingest.mdm;

import io.authlifecycle.avro.DeviceEventType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The device states the webhook takes: the product's own ({@code LOST}, {@code COMPLIANT}, ...) and
 * the names Intune and Jamf Pro use for the same events, prefixed with the MDM
 * ({@code intune:lostModeEnabled}, {@code jamf:MobileDeviceUnEnrolled}). The module README prints
 * this table; a test keeps the two the same.
 */
public final class DeviceStates {

  private static final Map<String, DeviceEventType> ALIASES = new LinkedHashMap<>();

  static {
    // Microsoft Intune (managedDevice): complianceState, managementState and the lost-mode actions.
    alias("intune:managed", DeviceEventType.ENROLLED);
    alias("intune:compliant", DeviceEventType.COMPLIANT);
    alias("intune:noncompliant", DeviceEventType.NONCOMPLIANT);
    alias("intune:inGracePeriod", DeviceEventType.NONCOMPLIANT);
    alias("intune:enableLostMode", DeviceEventType.LOST);
    alias("intune:disableLostMode", DeviceEventType.FOUND);
    alias("intune:wipeIssued", DeviceEventType.WIPED);
    alias("intune:retireIssued", DeviceEventType.RETIRED);
    alias("intune:deletePending", DeviceEventType.RETIRED);
    // Jamf Pro: webhook events, and the MDM commands a MobileDeviceCommandCompleted event names.
    alias("jamf:ComputerAdded", DeviceEventType.ENROLLED);
    alias("jamf:MobileDeviceEnrolled", DeviceEventType.ENROLLED);
    alias("jamf:EnableLostMode", DeviceEventType.LOST);
    alias("jamf:DisableLostMode", DeviceEventType.FOUND);
    alias("jamf:EraseDevice", DeviceEventType.WIPED);
    alias("jamf:MobileDeviceUnEnrolled", DeviceEventType.RETIRED);
  }

  private DeviceStates() {}

  private static void alias(String name, DeviceEventType type) {
    ALIASES.put(name.toLowerCase(Locale.ROOT), type);
  }

  /** Every vendor name and the state it means, in the README's order. */
  public static Map<String, DeviceEventType> aliases() {
    return Collections.unmodifiableMap(ALIASES);
  }

  /** The state a name means: one of the product's states (any case) or a vendor alias. */
  public static Optional<DeviceEventType> parse(String name) {
    String key = name.strip().toLowerCase(Locale.ROOT);
    for (DeviceEventType type : DeviceEventType.values()) {
      if (type != DeviceEventType.UNKNOWN && type.name().toLowerCase(Locale.ROOT).equals(key)) {
        return Optional.of(type);
      }
    }
    return Optional.ofNullable(ALIASES.get(key));
  }
}
