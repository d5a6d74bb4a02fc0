package io.authlifecycle.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoverySubject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which proofs count before 4.2.2 judges them: one row per case. */
class EvidenceCheckTest {

  private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");

  static {
    RecoveryFixtures.load();
  }

  private static final RecoveryRules RULES = RecoveryFixtures.rules();

  @ParameterizedTest(name = "privileged={0} proofs={1} lost={2} → {3}")
  @CsvSource({
      "false, SAVED_RECOVERY_CODE ISSUED_RECOVERY_CODE,        -,     true,  two recovery codes",
      "false, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:otp,     -,     true,  one recovery code and a bound authenticator",
      "false, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:otp,     otp,   false, bound authenticator otp is reported lost",
      "false, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:susp,    -,     false, bound authenticator susp is suspended",
      "false, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:nope,    -,     false, bound authenticator nope is not bound",
      "false, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:codes,   -,     false, bound RECOVERY_CODES codes is not an authenticator",
      "false, SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:,        -,     false, bound authenticator null is not bound",
      "false, SAVED_RECOVERY_CODE@stale ISSUED_RECOVERY_CODE,  -,     false, SAVED_RECOVERY_CODE verified at",
      "false, IDENTITY_PROOFING@IAL2,                          -,     true,  repeated identity proofing",
      "true,  IDENTITY_PROOFING@IAL2,                          -,     false, insufficient evidence for AAL3",
      "true,  IDENTITY_PROOFING@IAL3,                          -,     true,  repeated identity proofing",
      "true,  SAVED_RECOVERY_CODE BOUND_AUTHENTICATOR:otp,     -,     true,  one recovery code and a bound authenticator",
      "false, SECURITY_QUESTION SECURITY_QUESTION,             -,     false, security questions never count"})
  void proofsThatProveNothingAreSetAsideWithAReason(boolean privileged, String proofs, String lost, boolean sufficient,
      String reason) {
    RecoverySubject subject = subject(privileged);
    RecoveryRequest request = RecoveryRequest.newBuilder().setEventId("e").setEventTime(NOW).setRequestId("r")
        .setSubjectId("s").setChannel(RecoveryChannel.HELP_DESK).setReason(RecoveryReason.FACTOR_LOST).setRequesterId("hd")
        .setEvidence(Arrays.stream(proofs.split(" ")).map(EvidenceCheckTest::proof).toList())
        .setLostAuthenticatorIds(lost.equals("-") ? List.of() : List.of(lost)).build();

    EvidenceCheck.Verdict verdict = EvidenceCheck.evaluate(request, subject, RULES.policy(), RULES.evidenceMaxAge(), NOW);

    assertThat(verdict.sufficient()).as(verdict.reason()).isEqualTo(sufficient);
    assertThat(verdict.reason()).contains(reason);
  }

  private static RecoverySubject subject(boolean privileged) {
    RecoverySubject subject = RecoveryDecisions.open("s", null);
    HrDecisions.onWorkerEvent(RULES, subject, WorkerEvent.newBuilder().setEventId("hr").setEventTime(NOW).setType(WorkerEventType.JOINER)
        .setSubjectId("s").setIdentityType(IdentityType.HUMAN).setPrivileged(privileged).setEffectiveTime(NOW)
        .setChannels(List.of(Channel.PUSH)).build(), NOW);
    bind(subject, "otp", FactorType.OTP_APP);
    bind(subject, "susp", FactorType.OTP_APP);
    bind(subject, "codes", FactorType.RECOVERY_CODES);
    FactDecisions.apply(subject, AuthenticatorSuspended.newBuilder().setEventId("s").setEventTime(NOW).setSubjectId("s")
        .setAuthenticatorId("susp").build());
    return subject;
  }

  private static void bind(RecoverySubject subject, String id, FactorType type) {
    FactDecisions.apply(subject, AuthenticatorBound.newBuilder().setEventId("b-" + id).setEventTime(NOW).setSubjectId("s")
        .setAuthenticatorId(id).setFactorType(type).build());
  }

  private static RecoveryEvidence proof(String spec) {
    String method = spec.split("[@:]")[0];
    RecoveryEvidence.Builder proof = RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.valueOf(method)).setVerifiedAt(NOW);
    if (spec.contains(":")) {
      String ref = spec.substring(spec.indexOf(':') + 1);
      proof.setReference(ref.isEmpty() ? null : ref);
    }
    if (spec.endsWith("@stale")) {
      proof.setVerifiedAt(NOW.minus(Duration.ofHours(2)));
    } else if (spec.contains("@")) {
      proof.setLevel(IdentityAssuranceLevel.valueOf(spec.substring(spec.indexOf('@') + 1)));
    }
    return proof.build();
  }
}
