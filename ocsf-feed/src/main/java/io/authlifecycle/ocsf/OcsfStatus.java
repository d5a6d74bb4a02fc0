package io.authlifecycle.ocsf;

import io.authlifecycle.avro.AuditEvent;
import java.util.Locale;
import java.util.Map;

/**
 * OCSF {@code status_id} and {@code status} of an audit record. A dry-run (shadow) confirmation is
 * never a success: nothing was applied. Requests, schedules and escalations are neither success nor
 * failure yet: 99 with the product's own caption ("Requested", "Scheduled").
 */
record OcsfStatus(int id, String caption) {

  static final OcsfStatus SHADOW = new OcsfStatus(99, "Shadow");

  static OcsfStatus of(AuditEvent event) {
    if (isShadow(event)) {
      return SHADOW;
    }
    switch (event.getOutcome()) {
      case COMPLETED: case RECORDED: case NOTIFIED:
        return new OcsfStatus(1, "Success");
      case FAILED: case REFUSED: case DEAD_LETTERED: case ANOMALY:
        return new OcsfStatus(2, "Failure");
      case UNKNOWN:
        return new OcsfStatus(0, "Unknown");
      default:
        String name = event.getOutcome().name().toLowerCase(Locale.ROOT);
        return new OcsfStatus(99, Character.toUpperCase(name.charAt(0)) + name.substring(1));
    }
  }

  /**
   * Whether the record reports something done in dry-run (shadow) mode: an action that says so
   * ({@code gateway.command.dry-run}, any "shadow" action), a {@code dryRun} or {@code shadow}
   * detail set to true, or a confirmation by a dry-run {@code CommandApplied} ("... (dry run)").
   */
  static boolean isShadow(AuditEvent event) {
    String action = event.getAction().toLowerCase(Locale.ROOT);
    if (action.contains("shadow") || action.contains("dry-run")) {
      return true;
    }
    for (Map.Entry<String, String> detail : event.getDetails().entrySet()) {
      String key = detail.getKey().toLowerCase(Locale.ROOT);
      String value = detail.getValue() == null ? "" : detail.getValue().toLowerCase(Locale.ROOT);
      if ((key.equals("dryrun") || key.equals("dry-run") || key.equals("shadow")) && value.equals("true")) {
        return true;
      }
      if (value.contains("(dry run)")) {
        return true;
      }
    }
    return false;
  }
}
