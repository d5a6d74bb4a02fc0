package io.authlifecycle.joiner;

import static io.authlifecycle.avro.FactorType.HARDWARE_PASSKEY;
import static io.authlifecycle.avro.FactorType.OTP_APP;
import static io.authlifecycle.avro.FactorType.PIV_SMART_CARD;
import static io.authlifecycle.avro.FactorType.PUSH_NUMBER_MATCHING;
import static io.authlifecycle.avro.FactorType.SMS;
import static io.authlifecycle.avro.FactorType.SYNCED_PASSKEY;
import static io.authlifecycle.avro.FactorType.VOICE;
import static io.authlifecycle.joiner.JoinerFixtures.T0;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static io.authlifecycle.joiner.JoinerFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.core.policy.FactorClass;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which factor types an onboarding ticket allows, by kind of subject: the table a reviewer signs off. */
class EnrollmentPolicyTableTest {

  /** The policy settings: treasury needs AAL3; sre needs phishing resistance; field-ops may use SMS and voice. */
  private static Map<String, String> policy(AssuranceLevel privilegedLevel) {
    return Map.of("policy.standard.aal", "AAL2", "policy.privileged.aal", privilegedLevel.name(),
        "policy.aal3.roles", "treasury", "policy.phishing-resistant.roles", "sre",
        "policy.restricted.allowed-roles", "field-ops", "policy.standard.ial", "IAL2", "policy.privileged.ial", "IAL3");
  }

  static Stream<Arguments> subjects() {
    return Stream.of(
        Arguments.of("standard employee", false, "engineer", AssuranceLevel.AAL3,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD, SYNCED_PASSKEY, PUSH_NUMBER_MATCHING, OTP_APP)),
        Arguments.of("role allowed restricted factors", false, "field-ops", AssuranceLevel.AAL3,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD, SYNCED_PASSKEY, PUSH_NUMBER_MATCHING, OTP_APP, SMS, VOICE)),
        Arguments.of("role needing phishing resistance", false, "sre", AssuranceLevel.AAL3,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD, SYNCED_PASSKEY)),
        Arguments.of("role needing AAL3", false, "treasury", AssuranceLevel.AAL3,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD)),
        Arguments.of("privileged at AAL3", true, "engineer", AssuranceLevel.AAL3,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD)),
        Arguments.of("privileged in a role allowed restricted factors", true, "field-ops", AssuranceLevel.AAL3,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD)),
        Arguments.of("privileged at AAL2", true, "engineer", AssuranceLevel.AAL2,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD, SYNCED_PASSKEY)),
        Arguments.of("privileged at AAL2 in a role allowed restricted factors", true, "field-ops", AssuranceLevel.AAL2,
            List.of(HARDWARE_PASSKEY, PIV_SMART_CARD, SYNCED_PASSKEY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void theOnboardingTicketAllowsExactlyTheTypesPolicyGivesThisKindOfSubject(String kind, boolean privileged, String role,
      AssuranceLevel privilegedLevel, List<FactorType> expected) {
    Machine machine = new Machine(policy(privilegedLevel));

    var out = machine.hr(joiner("s-1", "hr-1", T0).setPrivileged(privileged).setRole(role)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL3)).build(), T0);

    assertThat(out.commands()).hasSize(1);
    assertThat(out.commands().get(0).getTicket().getAllowedFactorTypes()).containsExactlyElementsOf(expected);
  }

  @Property
  void aPrivilegedSubjectIsOnlyEverOfferedPhishingResistantUnrestrictedFactors(
      @ForAll @AlphaChars @StringLength(min = 1, max = 12) String role, @ForAll boolean restrictedAllowedForRole,
      @ForAll boolean aal3Privileged) {
    Machine machine = new Machine(Map.of("policy.standard.aal", "AAL2",
        "policy.privileged.aal", aal3Privileged ? "AAL3" : "AAL2", "policy.aal3.roles", "",
        "policy.phishing-resistant.roles", "", "policy.restricted.allowed-roles", restrictedAllowedForRole ? role : "",
        "policy.standard.ial", "IAL2", "policy.privileged.ial", "IAL3"));

    var out = machine.hr(joiner("s-1", "hr-1", T0).setPrivileged(true).setRole(role)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL3)).build(), T0);

    List<FactorType> allowed = out.commands().get(0).getTicket().getAllowedFactorTypes();
    assertThat(allowed).isNotEmpty().allSatisfy(type -> {
      assertThat(FactorClass.of(type).phishingResistant()).as("%s phishing resistant", type).isTrue();
      assertThat(FactorClass.of(type).restricted()).as("%s restricted", type).isFalse();
    });
  }

  @Property
  void noHumanIsEverOfferedPlainPushEmailCodesRecoveryCodesOrAnUnknownType(
      @ForAll @AlphaChars @StringLength(min = 1, max = 12) String role, @ForAll boolean privileged) {
    Machine machine = new Machine(policy(AssuranceLevel.AAL3));

    var out = machine.hr(joiner("s-1", "hr-1", T0).setPrivileged(privileged).setRole(role)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL3)).build(), T0);

    assertThat(out.commands().get(0).getTicket().getAllowedFactorTypes()).doesNotContain(FactorType.PUSH_PLAIN,
        FactorType.EMAIL_CODE, FactorType.RECOVERY_CODES, FactorType.UNKNOWN);
  }
}
