package io.authlifecycle.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryEvidence;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NIST SP 800-63B-4 4.2.2, one row per combination of proofs. */
class RecoveryEvidencePolicyTest {

  @ParameterizedTest(name = "{0}: {1} → {2}")
  @CsvSource({
      "AAL1, SAVED_RECOVERY_CODE,                                  true",
      "AAL1, SECURITY_QUESTION,                                    false",
      "AAL2, SAVED_RECOVERY_CODE,                                  false",
      "AAL2, SAVED_RECOVERY_CODE ISSUED_RECOVERY_CODE,             true",
      "AAL2, SAVED_RECOVERY_CODE SAVED_RECOVERY_CODE,              false",
      "AAL2, ISSUED_RECOVERY_CODE BOUND_AUTHENTICATOR,             true",
      "AAL2, BOUND_AUTHENTICATOR,                                  false",
      "AAL2, SECURITY_QUESTION SECURITY_QUESTION,                  false",
      "AAL2, SAVED_RECOVERY_CODE SECURITY_QUESTION,                false",
      "AAL2, IDENTITY_PROOFING@IAL2,                               true",
      "AAL2, IDENTITY_PROOFING@IAL1,                               false",
      "AAL3, SAVED_RECOVERY_CODE ISSUED_RECOVERY_CODE,             false",
      "AAL3, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR,              true",
      "AAL3, IDENTITY_PROOFING@IAL2,                               true",
      "UNKNOWN, SAVED_RECOVERY_CODE,                               false"})
  void evidenceMustMatchTheSubjectsLevel(AssuranceLevel level, String proofs, boolean sufficient) {
    List<RecoveryEvidence> evidence = Arrays.stream(proofs.split(" ")).map(RecoveryEvidencePolicyTest::proof).toList();

    RecoveryEvidencePolicy.Verdict verdict = RecoveryEvidencePolicy.evaluate(level, evidence, IdentityAssuranceLevel.IAL2);

    assertThat(verdict.sufficient()).as(verdict.reason()).isEqualTo(sufficient);
    if (!sufficient && proofs.contains("SECURITY_QUESTION")) {
      assertThat(verdict.reason()).contains("security questions never count");
    }
  }

  private static RecoveryEvidence proof(String spec) {
    String[] parts = spec.split("@");
    return RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.valueOf(parts[0])).setReference("ref")
        .setLevel(parts.length > 1 ? IdentityAssuranceLevel.valueOf(parts[1]) : IdentityAssuranceLevel.UNKNOWN)
        .setVerifiedAt(Instant.EPOCH).build();
  }
}
