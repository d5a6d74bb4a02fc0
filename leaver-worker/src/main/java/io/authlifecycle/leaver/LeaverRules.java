package io.authlifecycle.leaver;

import java.time.Duration;

/**
 * What the leaver decisions are configured with: the worker's name (part of every command id) and
 * how long the IdP has to confirm a revocation before it is escalated and re-issued.
 */
public record LeaverRules(String worker, Duration confirmationDeadline) {

  public LeaverRules {
    if (confirmationDeadline.isNegative() || confirmationDeadline.isZero()) {
      throw new IllegalArgumentException("confirmation deadline must be positive: " + confirmationDeadline);
    }
  }
}
