package io.authlifecycle.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.core.policy.AssurancePolicy.VerificationOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The docs/standards.md factor table and the subject rules, one row per case. */
class AssurancePolicyTest {

  private final AssurancePolicy policy = new AssurancePolicy(AssuranceLevel.AAL2, AssuranceLevel.AAL3,
      List.of("treasury"), List.of("sre"), List.of("field-tech", "admin"), IdentityAssuranceLevel.IAL2, IdentityAssuranceLevel.IAL3);

  /** 63B-4 2.2, 2.3 and 3.2.9: phishing resistance, restriction and the highest level per type. */
  @ParameterizedTest(name = "{0}: phishing-resistant={1} restricted={2} AAL3={3} AAL2={4}")
  @CsvSource({
      "HARDWARE_PASSKEY,     true,  false, true,  true",
      "SYNCED_PASSKEY,       true,  false, false, true",
      "PIV_SMART_CARD,       true,  false, true,  true",
      "OTP_APP,              false, false, false, true",
      "PUSH_NUMBER_MATCHING, false, false, false, true",
      "PUSH_PLAIN,           false, false, false, false",
      "SMS,                  false, true,  false, true",
      "VOICE,                false, true,  false, true",
      "EMAIL_CODE,           false, false, false, false",
      "RECOVERY_CODES,       false, false, false, false",
      "UNKNOWN,              false, false, false, false"})
  void factorTableMatchesTheStandard(FactorType type, boolean pr, boolean restricted, boolean aal3, boolean aal2) {
    FactorClass factor = FactorClass.of(type);
    assertThat(factor.phishingResistant()).isEqualTo(pr);
    assertThat(factor.restricted()).isEqualTo(restricted);
    assertThat(factor.serves(AssuranceLevel.AAL3)).isEqualTo(aal3);
    assertThat(factor.serves(AssuranceLevel.AAL2)).isEqualTo(aal2);
  }

  @ParameterizedTest(name = "role={0} privileged={1} → {2}, phishing-resistant only={3}")
  @CsvSource({
      "engineer,   false, AAL2, false",
      "engineer,   true,  AAL3, true",
      "treasury,   false, AAL3, true",
      "sre,        false, AAL2, true"})
  void requiredLevelFollowsPrivilegeAndRole(String role, boolean privileged, AssuranceLevel level, boolean prOnly) {
    SubjectProfile subject = SubjectProfile.human(role, privileged);
    assertThat(policy.requiredLevel(subject)).isEqualTo(level);
    assertThat(policy.requiresPhishingResistance(subject)).isEqualTo(prOnly);
  }

  /** Privileged: phishing-resistant only, never restricted (OWASP MFA, CISA); restricted only where a role is listed. */
  @ParameterizedTest(name = "role={0} privileged={1} may enroll {2}")
  @CsvSource({
      "engineer,   false, HARDWARE_PASSKEY PIV_SMART_CARD SYNCED_PASSKEY PUSH_NUMBER_MATCHING OTP_APP",
      "field-tech, false, HARDWARE_PASSKEY PIV_SMART_CARD SYNCED_PASSKEY PUSH_NUMBER_MATCHING OTP_APP SMS VOICE",
      "admin,      true,  HARDWARE_PASSKEY PIV_SMART_CARD",
      "sre,        false, HARDWARE_PASSKEY PIV_SMART_CARD SYNCED_PASSKEY"})
  void allowedEnrollmentTypesPerSubject(String role, boolean privileged, String expected) {
    List<FactorType> allowed = policy.allowedEnrollmentTypes(SubjectProfile.human(role, privileged));
    assertThat(allowed).containsExactlyElementsOf(
        java.util.Arrays.stream(expected.split(" ")).map(FactorType::valueOf).toList());
    assertThat(allowed).doesNotContain(FactorType.EMAIL_CODE, FactorType.PUSH_PLAIN, FactorType.RECOVERY_CODES);
  }

  @Test
  void serviceIdentitiesGetNoHumanFactorAtAll() {
    SubjectProfile service = SubjectProfile.service("ci");
    assertThat(policy.allowedEnrollmentTypes(service)).isEmpty();
    assertThat(policy.qualifies(FactorType.HARDWARE_PASSKEY, service)).isFalse();
  }

  @Test
  void remainingFactorsMeetTheLevelOnlyIfOneQualifies() {
    SubjectProfile admin = SubjectProfile.human("admin", true);
    SubjectProfile engineer = SubjectProfile.human("engineer", false);
    assertThat(policy.meetsRequiredLevel(List.of(FactorType.OTP_APP, FactorType.SMS), admin)).isFalse();
    assertThat(policy.meetsRequiredLevel(List.of(FactorType.OTP_APP), engineer)).isTrue();
    assertThat(policy.meetsRequiredLevel(List.of(FactorType.SMS), engineer)).isFalse();
    assertThat(policy.meetsRequiredLevel(List.of(FactorType.SYNCED_PASSKEY), admin)).isFalse();
    assertThat(policy.meetsRequiredLevel(List.of(), engineer)).isFalse();
  }

  @ParameterizedTest(name = "{0} at {1}, privileged={2} → {3}")
  @CsvSource({
      "IN_PERSON_PROOFING,         IAL2,    false, VERIFIED",
      "DIRECTORY_SIGNAL,           IAL1,    false, VERIFICATION_TOO_WEAK",
      "REMOTE_PROOFING,            IAL2,    true,  VERIFICATION_TOO_WEAK",
      "IN_PERSON_PROOFING,         IAL3,    true,  VERIFIED",
      "PHISHING_RESISTANT_STEP_UP, IAL2,    false, VERIFIED",
      "NONE,                       IAL2,    false, IDENTITY_NOT_VERIFIED",
      "UNKNOWN,                    IAL3,    false, IDENTITY_NOT_VERIFIED",
      "IN_PERSON_PROOFING,         UNKNOWN, false, IDENTITY_NOT_VERIFIED"})
  void enrollmentNeedsAVerifiedIdentityAtTheRolesLevel(VerificationMethod method, IdentityAssuranceLevel level,
      boolean privileged, VerificationOutcome expected) {
    IdentityVerification verification = IdentityVerification.newBuilder().setVerificationId("iv")
        .setMethod(method).setLevel(level).setVerifiedAt(Instant.EPOCH).build();
    assertThat(policy.checkVerification(verification, SubjectProfile.human("engineer", privileged))).isEqualTo(expected);
  }

  @Test
  void noVerificationAtAllIsNotVerified() {
    assertThat(policy.checkVerification(null, SubjectProfile.human("engineer", false)))
        .isEqualTo(VerificationOutcome.IDENTITY_NOT_VERIFIED);
  }

  @Test
  void refusalsCiteTheSectionThatApplies() {
    SubjectProfile admin = SubjectProfile.human("admin", true);
    SubjectProfile engineer = SubjectProfile.human("engineer", false);
    assertThat(policy.refusalRef(FactorType.SMS, admin)).isEqualTo(PolicyRefs.OWASP_MFA_PRIVILEGED);
    assertThat(policy.refusalRef(FactorType.SMS, engineer)).isEqualTo("NIST SP 800-63B-4 3.2.9");
    assertThat(policy.refusalRef(FactorType.EMAIL_CODE, engineer)).isEqualTo("NIST SP 800-63B-4 3.1.3.1");
    assertThat(policy.refusalRef(FactorType.OTP_APP, admin)).isEqualTo(PolicyRefs.OWASP_MFA_PRIVILEGED);
  }

  @Test
  void levelOrderingTreatsUnknownAsBelowEverything() {
    assertThat(Levels.atLeast(AssuranceLevel.UNKNOWN, AssuranceLevel.AAL1)).isFalse();
    assertThat(Levels.atLeast(AssuranceLevel.AAL3, AssuranceLevel.AAL2)).isTrue();
    assertThat(Levels.atLeast(IdentityAssuranceLevel.IAL1, IdentityAssuranceLevel.IAL2)).isFalse();
  }
}
