package io.authlifecycle.core.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every audit action the product writes, with the OCSF activity the SIEM feed reports it as.
 * An action missing here is counted and logged when written, and fails any topology test that
 * writes it, so the SOC never meets an action nobody mapped.
 */
public final class AuditCatalog {

  private static final Map<String, OcsfActivity> ACTIONS = new LinkedHashMap<>();
  private static final Map<String, String> ACRONYMS = Map.of("nhi", "NHI", "mfa", "MFA", "idp", "IdP");
  private static final Map<String, String> CAPTIONS = Map.of("dlq.replayed", "Dead Letter Replayed");

  static {
    // Shared runtime and operator tools: input the product could not accept is an application error.
    map(OcsfActivity.APPLICATION_ERROR, "input.dead-lettered");
    map(OcsfActivity.APPLICATION_OTHER, "dlq.replayed");

    // Leaver.
    map(OcsfActivity.MFA_FACTOR_DISABLE, "leaver.revocation.requested", "factor.bound.after.termination");
    map(OcsfActivity.ACCOUNT_DISABLE, "leaver.completed");
    other("leaver.scheduled", "leaver.rescheduled", "leaver.reschedule.refused", "leaver.cancelled",
        "leaver.cancel.refused", "leaver.reopened", "leaver.reactivation.refused", "leaver.already.terminated",
        "leaver.revocation.overdue", "leaver.revocation.failed", "nhi.owner.left",
        // A dry-run confirmation: nothing changed at the IdP ("shadow" makes the OCSF status non-success).
        "leaver.revocation.shadow");

    // Joiner.
    map(OcsfActivity.MFA_FACTOR_ENABLE, "enrollment.factor.bound", "enrollment.second.factor.bound", "binding.accepted");
    map(OcsfActivity.MFA_FACTOR_DISABLE, "ticket.reuse", "enrollment.policy.violation", "enrollment.binding.without.ticket",
        "binding.policy.violation");
    map(OcsfActivity.ENTITY_CREATE, "enrollment.ticket.issued");
    other("enrollment.ticket.superseded", "enrollment.ticket.reminder",
        "enrollment.ticket.expired", "enrollment.refused", "enrollment.escalated", "enrollment.case.closed",
        "enrollment.second.factor.reminder", "nhi.human.mfa.refused");

    // Mover.
    map(OcsfActivity.MFA_FACTOR_DISABLE, "mover.factor.revoke-requested", "mover.factor.expire-requested",
        "mover.binding.refused", "mover.ticket.reuse");
    map(OcsfActivity.FACTOR_SUSPEND, "mover.factor.suspend-requested");
    map(OcsfActivity.FACTOR_RESUME, "mover.factor.resume-requested");
    map(OcsfActivity.MFA_FACTOR_ENABLE, "mover.rebind.replacement-bound");
    map(OcsfActivity.ENTITY_CREATE, "mover.ticket.issue-requested");
    map(OcsfActivity.ENTITY_DISABLE, "mover.device.lost", "mover.device.stolen");
    other("mover.level.raised", "mover.level.recorded", "mover.ticket.refused",
        "mover.sessions.terminate-requested", "mover.subject.notified", "mover.recovery.requested",
        "mover.rebind.grace-scheduled", "mover.rebind.closed",
        "mover.device.wiped", "mover.device.retired",
        "mover.device.noncompliant", "mover.device.compliant", "mover.device.found", "mover.device.enrolled",
        "mover.device.loss-repeated", "mover.device.retire-recorded",
        "mover.factor.expiry-reminded", "mover.factor.stale-reminded", "mover.factor.unknown-recorded",
        "mover.factor.used-after-end", "mover.command.failed", "mover.clock.stopped", "mover.ticket.expired",
        "mover.command.shadow", "mover.rebind.awaiting-verification");
    // The HR standing's change of privilege, audited by the mover alone (it owns role changes).
    other("mover.privilege.raised", "mover.privilege.lowered");

    // IdP gateway: what the IdP actually did with a command. In shadow mode (the dry-run adapter) nothing
    // changed at the IdP: "gateway.command.shadow" (older records: "gateway.command.dry-run"), never a disable.
    other("gateway.command.applied", "gateway.command.shadow", "gateway.command.dry-run", "gateway.command.failed",
        "gateway.binding.reported", "gateway.ticket.opened", "gateway.ticket.used", "gateway.ticket.expired",
        "gateway.ticket.failed", "gateway.command.refused");

    // Ingest: what a SCIM client or an MDM webhook sent, and what it was turned into.
    other("ingest.hr-event.published", "ingest.scim.recorded", "ingest.device-event.published", "ingest.request.refused");

    // Approver console: sign-ins, views of a subject, passkey enrollments, help-desk requests and decisions sent or refused.
    other("console.signed-in", "console.sign-in.refused", "console.subject.viewed", "console.passkey.enrolled",
        "console.enrollment.refused", "console.decision.sent", "console.decision.refused", "console.request.sent", "console.request.refused");

    // Recovery.
    map(OcsfActivity.ACCOUNT_LOCK, "recovery.locked");
    map(OcsfActivity.ACCOUNT_UNLOCK, "recovery.unlocked");
    map(OcsfActivity.MFA_FACTOR_DISABLE, "recovery.factor-revocation.requested", "recovery.binding.refused",
        "recovery.ticket.reuse");
    map(OcsfActivity.MFA_FACTOR_ENABLE, "recovery.ticket.used");
    // Recovery completes by issuing its RECOVERY ticket.
    map(OcsfActivity.ENTITY_CREATE, "recovery.completed");
    other("recovery.refused", "recovery.requested", "recovery.subject-notified", "recovery.approved",
        "recovery.denied", "recovery.cancelled", "recovery.quorum.raised", "recovery.cancel.ignored", "recovery.expired",
        "recovery.ticket.expired", "recovery.disowned",
        // A lost device left too little: the system case waits for identity proofing, then is taken over or expires.
        "recovery.proofing.requested", "recovery.proofing.joined", "recovery.proofing.expired", "recovery.superseded",
        "approval.counted", "approval.duplicate", "approval.closed", "approval.unsigned", "approval.unknown-approver",
        "approval.forged", "approval.replay", "approval.unknown-request", "approval.early", "approval.late", "approval.self",
        "approval.requester", "approval.ineligible");
  }

  private AuditCatalog() {}

  private static void map(OcsfActivity activity, String... actions) {
    for (String action : actions) {
      if (ACTIONS.put(action, activity) != null) {
        throw new IllegalStateException("audit action catalogued twice: " + action);
      }
    }
  }

  private static void other(String... actions) {
    map(OcsfActivity.OTHER, actions);
  }

  public static boolean isKnown(String action) {
    return ACTIONS.containsKey(action);
  }

  /** The OCSF activity of an action; an unknown one is reported as Other. */
  public static OcsfActivity activityOf(String action) {
    return ACTIONS.getOrDefault(action, OcsfActivity.OTHER);
  }

  /**
   * The action's own caption, which OCSF wants in {@code activity_name} when the activity is 99
   * Other: {@code leaver.scheduled} is "Leaver Scheduled", {@code nhi.owner.left} "NHI Owner Left".
   */
  public static String caption(String action) {
    String fixed = CAPTIONS.get(action);
    if (fixed != null) {
      return fixed;
    }
    StringBuilder caption = new StringBuilder();
    for (String word : action.split("[.\\-]")) {
      if (word.isEmpty()) {
        continue;
      }
      caption.append(caption.length() == 0 ? "" : " ").append(ACRONYMS.getOrDefault(word,
          word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1)));
    }
    return caption.toString();
  }

  /** Every catalogued action, in declaration order. */
  public static Map<String, OcsfActivity> all() {
    return Collections.unmodifiableMap(ACTIONS);
  }
}
