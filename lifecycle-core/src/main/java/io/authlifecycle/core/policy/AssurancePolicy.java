package io.authlifecycle.core.policy;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The assurance rules of docs/standards.md in plain Java: the level a subject needs, which factor
 * types qualify or may be enrolled, and whether an identity verification is strong enough.
 */
public final class AssurancePolicy {

  public static final Setting<AssuranceLevel> STANDARD_LEVEL = Setting.enumValue("policy.standard.aal",
      AssuranceLevel.class, AssuranceLevel.AAL2, "Authenticator level for a standard human subject.")
      .validate(l -> l != AssuranceLevel.UNKNOWN, "must be AAL1, AAL2 or AAL3");
  public static final Setting<AssuranceLevel> PRIVILEGED_LEVEL = Setting.enumValue("policy.privileged.aal",
      AssuranceLevel.class, AssuranceLevel.AAL3, "Authenticator level for privileged / admin subjects.")
      .validate(l -> l == AssuranceLevel.AAL2 || l == AssuranceLevel.AAL3, "must be AAL2 or AAL3");
  public static final Setting<List<String>> AAL3_ROLES = Setting.list("policy.aal3.roles", "",
      "Roles that need AAL3 even when not flagged privileged.");
  public static final Setting<List<String>> PHISHING_RESISTANT_ROLES = Setting.list("policy.phishing-resistant.roles", "",
      "Roles that need phishing-resistant factors even when not privileged.");
  public static final Setting<List<String>> RESTRICTED_ALLOWED_ROLES = Setting.list("policy.restricted.allowed-roles", "",
      "Roles explicitly allowed restricted factors (SMS / voice); never applies to privileged subjects.");
  public static final Setting<IdentityAssuranceLevel> STANDARD_IAL = Setting.enumValue("policy.standard.ial",
      IdentityAssuranceLevel.class, IdentityAssuranceLevel.IAL2, "Identity verification level a standard subject needs before enrollment.")
      .validate(l -> l != IdentityAssuranceLevel.UNKNOWN, "must be IAL1, IAL2 or IAL3");
  public static final Setting<IdentityAssuranceLevel> PRIVILEGED_IAL = Setting.enumValue("policy.privileged.ial",
      IdentityAssuranceLevel.class, IdentityAssuranceLevel.IAL3, "Identity verification level a privileged subject needs before enrollment.")
      .validate(l -> l != IdentityAssuranceLevel.UNKNOWN, "must be IAL1, IAL2 or IAL3");

  public static final List<Setting<?>> SETTINGS = List.of(STANDARD_LEVEL, PRIVILEGED_LEVEL, AAL3_ROLES,
      PHISHING_RESISTANT_ROLES, RESTRICTED_ALLOWED_ROLES, STANDARD_IAL, PRIVILEGED_IAL);

  /** Strongest first: the order tickets list allowed types in. */
  private static final List<FactorType> ENROLLMENT_ORDER = List.of(FactorType.HARDWARE_PASSKEY,
      FactorType.PIV_SMART_CARD, FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING,
      FactorType.OTP_APP, FactorType.SMS, FactorType.VOICE);

  private final AssuranceLevel standardLevel;
  private final AssuranceLevel privilegedLevel;
  private final Set<String> aal3Roles;
  private final Set<String> phishingResistantRoles;
  private final Set<String> restrictedAllowedRoles;
  private final IdentityAssuranceLevel standardIal;
  private final IdentityAssuranceLevel privilegedIal;

  public AssurancePolicy(AssuranceLevel standardLevel, AssuranceLevel privilegedLevel,
      Collection<String> aal3Roles, Collection<String> phishingResistantRoles,
      Collection<String> restrictedAllowedRoles, IdentityAssuranceLevel standardIal,
      IdentityAssuranceLevel privilegedIal) {
    this.standardLevel = standardLevel;
    this.privilegedLevel = privilegedLevel;
    this.aal3Roles = Set.copyOf(aal3Roles);
    this.phishingResistantRoles = Set.copyOf(phishingResistantRoles);
    this.restrictedAllowedRoles = Set.copyOf(restrictedAllowedRoles);
    this.standardIal = standardIal;
    this.privilegedIal = privilegedIal;
  }

  /** The policy its settings' defaults give (AAL2 / IAL2 standard, AAL3 / IAL3 privileged): read, never restated. */
  public static AssurancePolicy defaults() {
    return from(Settings.load(SETTINGS, Optional.empty(), Map.of(), Map.of()));
  }

  public static AssurancePolicy from(Settings settings) {
    return new AssurancePolicy(settings.get(STANDARD_LEVEL), settings.get(PRIVILEGED_LEVEL),
        settings.get(AAL3_ROLES), settings.get(PHISHING_RESISTANT_ROLES), settings.get(RESTRICTED_ALLOWED_ROLES),
        settings.get(STANDARD_IAL), settings.get(PRIVILEGED_IAL));
  }

  /** The authenticator level the subject must reach (2.2, 2.3). */
  public AssuranceLevel requiredLevel(SubjectProfile subject) {
    if (subject.privileged()) {
      return privilegedLevel;
    }
    if (subject.role() != null && aal3Roles.contains(subject.role())) {
      return AssuranceLevel.AAL3;
    }
    return standardLevel;
  }

  /** Privileged subjects, AAL3 and listed roles accept phishing-resistant factors only. */
  public boolean requiresPhishingResistance(SubjectProfile subject) {
    return subject.privileged()
        || requiredLevel(subject) == AssuranceLevel.AAL3
        || (subject.role() != null && phishingResistantRoles.contains(subject.role()));
  }

  /** Restricted factors only where policy names the role, and never for privileged subjects (3.2.9). */
  public boolean allowsRestricted(SubjectProfile subject) {
    return !subject.privileged() && subject.role() != null && restrictedAllowedRoles.contains(subject.role());
  }

  /** Whether a factor of this type is good enough for this subject. Service identities get none. */
  public boolean qualifies(FactorType type, SubjectProfile subject) {
    FactorClass factor = FactorClass.of(type);
    if (subject.isService() || !factor.serves(requiredLevel(subject))) {
      return false;
    }
    if (requiresPhishingResistance(subject) && !factor.phishingResistant()) {
      return false;
    }
    return !factor.restricted() || allowsRestricted(subject);
  }

  /** The factor types a ticket for this subject may allow, strongest first; empty for a service identity. */
  public List<FactorType> allowedEnrollmentTypes(SubjectProfile subject) {
    return ENROLLMENT_ORDER.stream().filter(t -> qualifies(t, subject)).toList();
  }

  /** Whether the factors a subject still has reach the level it needs (one qualifying factor suffices). */
  public boolean meetsRequiredLevel(Collection<FactorType> remaining, SubjectProfile subject) {
    return remaining.stream().anyMatch(t -> qualifies(t, subject));
  }

  /** The identity-verification level the subject needs before it may enroll. */
  public IdentityAssuranceLevel requiredIdentityLevel(SubjectProfile subject) {
    return subject.privileged() || requiredLevel(subject) == AssuranceLevel.AAL3 ? privilegedIal : standardIal;
  }

  /** Outcome of checking an identity verification against what the subject needs. */
  public enum VerificationOutcome { VERIFIED, IDENTITY_NOT_VERIFIED, VERIFICATION_TOO_WEAK }

  /** Never a ticket on doubt: missing, NONE or UNKNOWN method or level counts as not verified. */
  public VerificationOutcome checkVerification(IdentityVerification verification, SubjectProfile subject) {
    if (!isVerification(verification)) {
      return VerificationOutcome.IDENTITY_NOT_VERIFIED;
    }
    return Levels.atLeast(verification.getLevel(), requiredIdentityLevel(subject))
        ? VerificationOutcome.VERIFIED
        : VerificationOutcome.VERIFICATION_TOO_WEAK;
  }

  /** Whether this is a verification at all: a method other than NONE or UNKNOWN, a known level and a time. */
  public static boolean isVerification(IdentityVerification verification) {
    return verification != null
        && verification.getMethod() != null
        && verification.getMethod() != VerificationMethod.NONE
        && verification.getMethod() != VerificationMethod.UNKNOWN
        && verification.getLevel() != null
        && verification.getLevel() != IdentityAssuranceLevel.UNKNOWN
        && verification.getVerifiedAt() != null;
  }

  /** The section to cite when a factor type is refused for a subject. */
  public String refusalRef(FactorType type, SubjectProfile subject) {
    FactorClass factor = FactorClass.of(type);
    if (type == FactorType.EMAIL_CODE) {
      return PolicyRefs.EMAIL_NOT_OUT_OF_BAND;
    }
    if (factor.restricted()) {
      return subject.privileged() ? PolicyRefs.OWASP_MFA_PRIVILEGED : PolicyRefs.RESTRICTED_AUTHENTICATORS;
    }
    if (subject.privileged() && !factor.phishingResistant()) {
      return PolicyRefs.OWASP_MFA_PRIVILEGED;
    }
    return PolicyRefs.AAL_REQUIREMENTS;
  }
}
