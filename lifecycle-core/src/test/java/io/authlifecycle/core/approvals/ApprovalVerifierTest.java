package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.core.approvals.ApprovalVerifier.Result;
import io.authlifecycle.core.approvals.ApprovalVerifier.Verdict;
import io.authlifecycle.schemas.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApprovalVerifierTest {

  private static final Instant AT = Instant.parse("2026-11-02T09:15:00.123Z");

  static {
    // Copying generated records needs the trust rule every serde user installs.
    AvroSerde.of(ApprovalDecision.class);
  }

  private final ApproverKeyFile alice = ApproverKeyFile.generate("alice");
  private final ApproverKeyFile bob = ApproverKeyFile.generate("bob");
  private final ApprovalVerifier verifier = new ApprovalVerifier(
      ApproverKeyRegistry.of(Map.of("alice", alice.publicKey(), "bob", bob.publicKey())));

  @Test
  void aDecisionSignedByItsApproverIsValid() {
    assertThat(verifier.verify(signed("r-1", "alice", alice), List.of("r-0"))).isEqualTo(new Result(Verdict.VALID, Optional.empty()));
  }

  @Test
  void aDecisionWithoutSignatureIsUnsigned() {
    ApprovalDecision unsigned = ApprovalDecision.newBuilder(signed("r-1", "alice", alice)).setSignature(null).build();
    ApprovalDecision empty = ApprovalDecision.newBuilder(unsigned).setSignature(ByteBuffer.wrap(new byte[0])).build();

    assertThat(verifier.verify(unsigned, List.of()).verdict()).isEqualTo(Verdict.UNSIGNED);
    assertThat(verifier.verify(empty, List.of()).verdict()).isEqualTo(Verdict.UNSIGNED);
  }

  @Test
  void anApproverMissingFromTheRegistryIsUnknown() {
    ApproverKeyFile mallory = ApproverKeyFile.generate("mallory");

    assertThat(verifier.verify(signed("r-1", "mallory", mallory), List.of()).verdict()).isEqualTo(Verdict.UNKNOWN_APPROVER);
  }

  @Test
  void aSignatureFromAnotherKeyIsForged() {
    ApproverKeyFile wrongKeyForAlice = new ApproverKeyFile("alice", bob.publicKey(), bob.privateKey());

    assertThat(verifier.verify(signed("r-1", "alice", wrongKeyForAlice), List.of()).verdict()).isEqualTo(Verdict.FORGED);
  }

  @Test
  void changingAnySignedFieldAfterSigningIsForged() {
    ApprovalDecision good = signed("r-1", "alice", alice);

    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setDecision(Decision.DENY).build(), List.of()).verdict())
        .isEqualTo(Verdict.FORGED);
    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setDecidedAt(AT.plusMillis(1)).build(), List.of()).verdict())
        .isEqualTo(Verdict.FORGED);
    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setSubjectId("s-2").build(), List.of()).verdict())
        .isEqualTo(Verdict.FORGED);
    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setApproverId("bob").build(), List.of()).verdict())
        .isEqualTo(Verdict.FORGED);
  }

  @Test
  void theCommentIsNotSignedSoChangingItKeepsTheDecisionValid() {
    ApprovalDecision good = signed("r-1", "alice", alice);

    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setComment("edited").build(), List.of()).verdict())
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void aSignatureMadeForAnotherOfTheSubjectsRequestsIsAReplay() {
    ApprovalDecision forOld = signed("r-old", "alice", alice);
    ApprovalDecision replayed = ApprovalDecision.newBuilder(forOld).setRequestId("r-new").setEventId("ad-9").build();

    assertThat(verifier.verify(replayed, List.of("r-new", "r-old"))).isEqualTo(new Result(Verdict.REPLAYED, Optional.of("r-old")));
    assertThat(verifier.verify(replayed, List.of("r-new")).verdict()).isEqualTo(Verdict.FORGED);
  }

  @Test
  void garbageSignatureBytesAreForgedNotAnError() {
    ApprovalDecision garbage = ApprovalDecision.newBuilder(signed("r-1", "alice", alice))
        .setSignature(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();

    assertThat(verifier.verify(garbage, List.of("r-0")).verdict()).isEqualTo(Verdict.FORGED);
  }

  @Test
  void signingWithAnotherApproversKeyFileIsRefusedBeforeAnythingIsSigned() {
    ApprovalDecision.Builder draft = draft("r-1", "alice");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApprovalSigner.sign(draft, bob))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to bob");
  }

  private static ApprovalDecision signed(String requestId, String approverId, ApproverKeyFile key) {
    return ApprovalSigner.sign(draft(requestId, approverId), key);
  }

  private static ApprovalDecision.Builder draft(String requestId, String approverId) {
    return ApprovalDecision.newBuilder().setEventId("ad-1").setEventTime(AT).setRequestId(requestId)
        .setSubjectId("s-1").setApproverId(approverId).setDecision(Decision.APPROVE).setDecidedAt(AT);
  }
}
