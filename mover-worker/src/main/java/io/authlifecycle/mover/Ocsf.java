package io.authlifecycle.mover;

import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;

/** The OCSF numbers SIEMs map audit records by (STANDARDS.md, Identity & Access Management). */
final class Ocsf {

  static final int ACCOUNT_CHANGE = 3001;
  static final int ENTITY_MANAGEMENT = 3004;

  private Ocsf() {}

  static int factorTypeId(FactorType type) {
    return switch (type) {
      case SMS -> 1;
      case VOICE -> 3;
      case PUSH_NUMBER_MATCHING, PUSH_PLAIN -> 5;
      case PIV_SMART_CARD -> 6;
      case OTP_APP -> 7;
      case EMAIL_CODE -> 8;
      case HARDWARE_PASSKEY, SYNCED_PASSKEY -> 10;
      default -> 99;
    };
  }

  /** {@code class_uid} and {@code activity_id} of a command's effect, or empty for commands without one. */
  static int[] classAndActivity(CommandAction action) {
    return switch (action) {
      case REVOKE_AUTHENTICATOR, EXPIRE_AUTHENTICATOR -> new int[] {ACCOUNT_CHANGE, 11};
      case SUSPEND_AUTHENTICATOR -> new int[] {ENTITY_MANAGEMENT, 12};
      case RESUME_AUTHENTICATOR -> new int[] {ENTITY_MANAGEMENT, 13};
      default -> new int[0];
    };
  }
}
