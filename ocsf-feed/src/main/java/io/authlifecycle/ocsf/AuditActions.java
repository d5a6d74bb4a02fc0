package io.authlifecycle.ocsf;

import java.util.Map;

/**
 * Which audit actions have an OCSF activity of their own; every other action is reported as
 * Account Change / Other (99) with the product's fields under {@code unmapped}.
 */
public final class AuditActions {

  private AuditActions() {}

  static final Map<String, OcsfActivity> MAPPED = Map.ofEntries(
      Map.entry("factor.bound", OcsfActivity.MFA_FACTOR_ENABLE),
      Map.entry("factor.revoked", OcsfActivity.MFA_FACTOR_DISABLE),
      Map.entry("factor.expired", OcsfActivity.MFA_FACTOR_DISABLE),
      Map.entry("factor.suspended", OcsfActivity.FACTOR_SUSPEND),
      Map.entry("factor.resumed", OcsfActivity.FACTOR_RESUME),
      Map.entry("leaver.completed", OcsfActivity.ACCOUNT_DISABLE),
      Map.entry("recovery.locked", OcsfActivity.ACCOUNT_LOCK));

  public static OcsfActivity activityOf(String action) {
    return MAPPED.getOrDefault(action, OcsfActivity.OTHER);
  }
}
