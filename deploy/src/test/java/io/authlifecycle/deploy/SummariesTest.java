package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.SampleRecords;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SummariesTest {

  // Loading the registry first installs the rule that lets Avro build the generated classes.
  private static final int TOPICS = Topics.allWithDeadLetters().size();
  private static final Instant NOW = SampleRecords.T0;

  @Test
  void summarisesAnAuditRecordWithItsOutcomeReasonAndPolicy() {
    AuditEvent audit = sample(AuditEvent.class);

    assertThat(Summaries.of(audit, NOW)).isEqualTo(
        "AUDIT       leaver-worker  s-1  leaver.revocation.requested -> REQUESTED [INFO]  (NIST SP 800-63B-4 4.5)");
  }

  @Test
  void summarisesAnEnrollmentCommandWithItsTicket() {
    AuthenticatorCommand command = sample(AuthenticatorCommand.class);

    assertThat(Summaries.of(command, NOW)).isEqualTo("COMMAND     ISSUE_ENROLLMENT_TICKET for s-1 ONBOARDING ticket "
        + "for HARDWARE_PASSKEY, OTP_APP via IDP_PORTAL, expires in 60m by joiner-worker: joiner verified  "
        + "(NIST SP 800-63B-4 4.1.2.1)");
  }

  @Test
  void summarisesADeadLetterWithWhereItCameFromAndWhy() {
    assertThat(Summaries.of(sample(DeadLetter.class), NOW)).isEqualTo(
        "DEAD-LETTER hr.worker-events.v1 partition 0 offset 42 UNDECODABLE by leaver-worker: bad header");
  }

  @Test
  void saysWhoSignedARecoveryRequestAndADecisionAndWhoMayNotApprove() {
    assertThat(Summaries.of(sample(RecoveryRequest.class), NOW)).isEqualTo("RECOVERY    OPEN r-1 for s-1 via HELP_DESK "
        + "(DEVICE_LOST) by hd-7 (ED25519 key k-agent), evidence IDENTITY_PROOFING");
    assertThat(Summaries.of(sample(ApprovalDecision.class), NOW)).isEqualTo(
        "DECISION    APPROVE of recovery r-1 for s-1 by ap-1 (ED25519 key k-ap-1)");
    assertThat(Summaries.of(RecoveryRequest.newBuilder(sample(RecoveryRequest.class)).setSignatureEnvelope(null).build(), NOW))
        .contains("by hd-7 (unsigned)");
    assertThat(Summaries.of(sample(ApprovalRequested.class), NOW)).isEqualTo(
        "APPROVAL    recovery r-1 of s-1 needs 2 approvers in 4h (not HR subjects s-1, hd-7)");
  }

  @Test
  void showsWhenAFutureLeaverBecomesEffectiveAndOmitsVerificationForLeavers() {
    WorkerEvent leaver = WorkerEvent.newBuilder(SampleRecords.joiner("carol")).setType(WorkerEventType.LEAVER)
        .setRole("finance").setEffectiveTime(NOW.plusSeconds(20)).build();

    assertThat(Summaries.of(leaver, NOW)).isEqualTo("HR          LEAVER carol as finance, effective in 20s");
  }

  @Test
  void givesEveryRecordTypeItsOwnTag() {
    Map<String, String> tags = SampleRecords.oneOfEach().stream().collect(Collectors.toMap(
        r -> r.getSchema().getName(), r -> Summaries.of(r, NOW).substring(0, 11).strip()));

    assertThat(tags).containsEntry("WorkerEvent", "HR").containsEntry("DeviceEvent", "MDM")
        .containsEntry("AuthenticatorBound", "IDP").containsEntry("RecoveryRequest", "RECOVERY")
        .containsEntry("ApprovalRequested", "APPROVAL").containsEntry("ApprovalDecision", "DECISION")
        .containsEntry("SubjectNotification", "NOTIFY").containsEntry("AuditEvent", "AUDIT")
        .containsEntry("AuthenticatorCommand", "COMMAND").containsEntry("DeadLetter", "DEAD-LETTER");
  }

  @Test
  void writesRelativeTimesInTheLargestSensibleUnit() {
    assertThat(List.of(
        Summaries.relative(NOW, NOW), Summaries.relative(NOW.plusSeconds(20), NOW),
        Summaries.relative(NOW.minusSeconds(300), NOW), Summaries.relative(NOW.plusSeconds(3 * 86400), NOW)))
        .containsExactly("now", "in 20s", "5m ago", "in 3d");
  }

  private static <T extends SpecificRecord> T sample(Class<T> type) {
    return type.cast(SampleRecords.oneOfEach().stream().filter(type::isInstance).findFirst().orElseThrow());
  }
}
