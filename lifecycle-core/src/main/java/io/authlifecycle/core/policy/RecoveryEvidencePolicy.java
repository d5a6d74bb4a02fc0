package io.authlifecycle.core.policy;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryEvidence;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Whether the recovery proofs presented are strong enough for the subject's level (NIST SP
 * 800-63B-4 4.2.2). Security questions never count.
 */
public final class RecoveryEvidencePolicy {

  private static final Set<EvidenceMethod> CODES = EnumSet.of(EvidenceMethod.SAVED_RECOVERY_CODE,
      EvidenceMethod.ISSUED_RECOVERY_CODE, EvidenceMethod.RECOVERY_CONTACT);

  private RecoveryEvidencePolicy() {}

  /** The verdict and, when refused, why. */
  public record Verdict(boolean sufficient, String reason) {
    static Verdict ok(String how) {
      return new Verdict(true, how);
    }

    static Verdict refused(String why) {
      return new Verdict(false, why);
    }
  }

  /**
   * AAL1: one recovery code or contact, or repeated proofing. AAL2: two codes from different
   * methods, or one code plus a bound authenticator, or repeated proofing at the subject's
   * identity level. AAL3 (this product's rule): repeated proofing, or a code plus a bound factor.
   */
  public static Verdict evaluate(AssuranceLevel level, List<RecoveryEvidence> evidence, IdentityAssuranceLevel requiredIal) {
    Set<EvidenceMethod> codes = EnumSet.noneOf(EvidenceMethod.class);
    boolean boundFactor = false;
    boolean proofed = false;
    boolean weakProofing = false;
    boolean securityQuestion = false;
    for (RecoveryEvidence e : evidence) {
      EvidenceMethod method = e.getMethod();
      if (CODES.contains(method)) {
        codes.add(method);
      } else if (method == EvidenceMethod.BOUND_AUTHENTICATOR) {
        boundFactor = true;
      } else if (method == EvidenceMethod.IDENTITY_PROOFING) {
        if (Levels.atLeast(e.getLevel(), requiredIal)) {
          proofed = true;
        } else {
          weakProofing = true;
        }
      } else if (method == EvidenceMethod.SECURITY_QUESTION) {
        securityQuestion = true;
      }
    }
    if (proofed) {
      return Verdict.ok("repeated identity proofing");
    }
    AssuranceLevel effective = level == null || level == AssuranceLevel.UNKNOWN ? AssuranceLevel.AAL2 : level;
    switch (effective) {
      case AAL1:
        if (!codes.isEmpty() || boundFactor) {
          return Verdict.ok("one recovery proof");
        }
        break;
      case AAL2:
        if (codes.size() >= 2) {
          return Verdict.ok("two recovery codes from different methods");
        }
        if (!codes.isEmpty() && boundFactor) {
          return Verdict.ok("one recovery code and a bound authenticator");
        }
        break;
      default:
        if (!codes.isEmpty() && boundFactor) {
          return Verdict.ok("one recovery code and a bound authenticator");
        }
    }
    StringBuilder why = new StringBuilder("insufficient evidence for ").append(effective).append(": ");
    why.append(codes.size()).append(" recovery code method(s), ").append(boundFactor ? "a" : "no").append(" bound authenticator");
    if (weakProofing) {
      why.append(", identity proofing below ").append(requiredIal);
    }
    if (securityQuestion) {
      why.append("; security questions never count");
    }
    return Verdict.refused(why.toString());
  }
}
