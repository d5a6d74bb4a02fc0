package io.authlifecycle.core.policy;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.FactorType;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a factor type is worth, from the table in docs/standards.md (NIST SP 800-63B-4): the highest
 * level it can serve, whether it resists phishing, whether it is restricted, whether it may be
 * enrolled as an authenticator at all.
 */
public record FactorClass(
    FactorType type,
    AssuranceLevel maxLevel,
    boolean phishingResistant,
    boolean restricted,
    boolean authenticator,
    boolean recoveryOnly) {

  private static final Map<FactorType, FactorClass> TABLE = new EnumMap<>(FactorType.class);

  static {
    put(FactorType.HARDWARE_PASSKEY, AssuranceLevel.AAL3, true, false, true, false);
    put(FactorType.SYNCED_PASSKEY, AssuranceLevel.AAL2, true, false, true, false);
    put(FactorType.PIV_SMART_CARD, AssuranceLevel.AAL3, true, false, true, false);
    put(FactorType.OTP_APP, AssuranceLevel.AAL2, false, false, true, false);
    put(FactorType.PUSH_NUMBER_MATCHING, AssuranceLevel.AAL2, false, false, true, false);
    // Plain "approve?" push does not meet the out-of-band rules: it serves no level.
    put(FactorType.PUSH_PLAIN, AssuranceLevel.UNKNOWN, false, false, false, false);
    put(FactorType.SMS, AssuranceLevel.AAL2, false, true, true, false);
    put(FactorType.VOICE, AssuranceLevel.AAL2, false, true, true, false);
    // Email is not an out-of-band authenticator (3.1.3.1).
    put(FactorType.EMAIL_CODE, AssuranceLevel.UNKNOWN, false, false, false, false);
    put(FactorType.RECOVERY_CODES, AssuranceLevel.UNKNOWN, false, false, false, true);
    // A type this build does not know is worth nothing: fail towards revocation.
    put(FactorType.UNKNOWN, AssuranceLevel.UNKNOWN, false, false, false, false);
  }

  private static void put(FactorType type, AssuranceLevel max, boolean pr, boolean restricted,
      boolean authenticator, boolean recoveryOnly) {
    TABLE.put(type, new FactorClass(type, max, pr, restricted, authenticator, recoveryOnly));
  }

  public static FactorClass of(FactorType type) {
    return TABLE.get(type == null ? FactorType.UNKNOWN : type);
  }

  /** Whether this factor can serve the given level (UNKNOWN serves nothing). */
  public boolean serves(AssuranceLevel level) {
    return authenticator && Levels.atLeast(maxLevel, level);
  }
}
