package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.approvals.ApprovalVerifier.CaseRef;
import io.authlifecycle.core.approvals.ApprovalVerifier.Result;
import io.authlifecycle.core.approvals.ApprovalVerifier.Verdict;
import io.authlifecycle.schemas.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalVerifierTest {

  private static final Instant AT = Instant.parse("2026-11-02T09:15:00.123Z");
  private static final CaseRef R1 = new CaseRef("r-1", "nonce-1");
  private static final Person ALICE = new Person("alice", "E1001");
  private static final Person BOB = new Person("bob", "E1002");
  private static final Person HD = new Person("hd-7", "E2007");

  static {
    // Copying generated records needs the trust rule every serde user installs.
    AvroSerde.of(ApprovalDecision.class);
  }

  private final PersonKeyFile alice = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER));
  private final PersonKeyFile bob = PersonKeyFile.generate(BOB, Set.of(Role.APPROVER));
  private final PersonKeyFile agent = PersonKeyFile.generate(HD, Set.of(Role.HELP_DESK));
  private final PersonKeyRegistry registry = PersonKeyRegistry.builder().add(ALICE, alice.roles(), alice.publicKey())
      .add(BOB, bob.roles(), bob.publicKey()).add(HD, agent.roles(), agent.publicKey()).build();
  private final ApprovalVerifier verifier = new ApprovalVerifier(SignatureCheck.ed25519(registry));

  @Test
  void aDecisionSignedByItsApproverForThisCaseIsValidAndNamesThePerson() {
    assertThat(verifier.verify(signed(R1, "alice", alice), R1, List.of(new CaseRef("r-0", "nonce-0"))))
        .isEqualTo(new Result(Verdict.VALID, Optional.of(ALICE), Optional.empty(), "valid", OptionalLong.empty()));
  }

  @Test
  void aDecisionWithoutSignatureIsUnsignedAndABareFirstReleaseSignatureIsUnbound() {
    ApprovalDecision unsigned = ApprovalDecision.newBuilder(signed(R1, "alice", alice)).setSignatureEnvelope(null).build();
    ApprovalDecision bare = ApprovalDecision.newBuilder(unsigned).setSignature(ByteBuffer.wrap(new byte[64])).build();

    assertThat(verifier.verify(unsigned, R1, List.of()).verdict()).isEqualTo(Verdict.UNSIGNED);
    assertThat(verifier.verify(bare, R1, List.of()).verdict()).isEqualTo(Verdict.UNBOUND);
  }

  @Test
  void aKeyMissingFromTheRegistryIsUnknown() {
    PersonKeyFile mallory = PersonKeyFile.generate(new Person("mallory", "E666"), Set.of(Role.APPROVER));

    assertThat(verifier.verify(signed(R1, "mallory", mallory), R1, List.of()).verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
  }

  @Test
  void aHelpDeskKeyCannotApprove() {
    PersonKeyFile agentAsApprover = new PersonKeyFile(HD, Set.of(Role.APPROVER), agent.publicKey(), agent.privateKey());

    Result result = verifier.verify(signed(R1, "hd-7", agentAsApprover), R1, List.of());

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_APPROVER);
    assertThat(result.reason()).contains("registered for [HELP_DESK], not APPROVER");
  }

  @Test
  void theApproverIsTheKeysPersonSoNamingAnotherIsRefused() {
    PersonKeyFile bobNamedAlice = new PersonKeyFile(ALICE, Set.of(Role.APPROVER), bob.publicKey(), bob.privateKey());

    Result result = verifier.verify(signed(R1, "alice", bobNamedAlice), R1, List.of());

    assertThat(result.verdict()).isEqualTo(Verdict.WRONG_PERSON);
    assertThat(result.approver()).contains(BOB);
  }

  @Test
  void changingAnySignedFieldAfterSigningIsForged() {
    ApprovalDecision good = signed(R1, "alice", alice);

    for (ApprovalDecision altered : List.of(ApprovalDecision.newBuilder(good).setDecision(Decision.DENY).build(),
        ApprovalDecision.newBuilder(good).setDecidedAt(AT.plusMillis(1)).build(),
        ApprovalDecision.newBuilder(good).setSubjectId("s-2").build(),
        ApprovalDecision.newBuilder(good).setRequestId("r-2").build())) {
      assertThat(verifier.verify(altered, R1, List.of()).verdict()).as(altered.toString()).isEqualTo(Verdict.FORGED);
    }
  }

  @Test
  void aSignatureOverAnotherNonceIsForgedSoNothingCanBeSignedBeforeTheCaseExists() {
    ApprovalDecision preSigned = signed(new CaseRef("r-1", "guessed"), "alice", alice);

    assertThat(verifier.verify(preSigned, R1, List.of()).verdict()).isEqualTo(Verdict.FORGED);
  }

  @Test
  void theCommentIsNotSignedSoChangingItKeepsTheDecisionValid() {
    ApprovalDecision good = signed(R1, "alice", alice);

    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setComment("edited").build(), R1, List.of()).verdict())
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void aSignatureMadeForAnotherOfTheSubjectsCasesIsAReplay() {
    CaseRef old = new CaseRef("r-old", "nonce-old");
    CaseRef now = new CaseRef("r-new", "nonce-new");
    ApprovalDecision replayed = ApprovalDecision.newBuilder(signed(old, "alice", alice)).setRequestId("r-new").build();

    assertThat(verifier.verify(replayed, now, List.of(now, old)))
        .isEqualTo(new Result(Verdict.REPLAYED, Optional.of(ALICE), Optional.of("r-old"),
            "the signature was made for request r-old, not r-new", OptionalLong.empty()));
    assertThat(verifier.verify(replayed, now, List.of(now)).verdict()).isEqualTo(Verdict.FORGED);
  }

  @Test
  void garbageSignatureBytesAreForgedNotAnError() {
    ApprovalDecision good = signed(R1, "alice", alice);
    SignatureEnvelope garbage = SignatureEnvelope.newBuilder(good.getSignatureEnvelope())
        .setSignature(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();

    assertThat(verifier.verify(ApprovalDecision.newBuilder(good).setSignatureEnvelope(garbage).build(), R1, List.of()).verdict())
        .isEqualTo(Verdict.FORGED);
  }

  @Test
  void aWebAuthnEnvelopeNamingAnEd25519KeyDoesNotVerify() {
    ApprovalDecision good = signed(R1, "alice", alice);
    SignatureEnvelope claimed = SignatureEnvelope.newBuilder(good.getSignatureEnvelope()).setScheme(SignatureScheme.WEBAUTHN)
        .setAuthenticatorData(ByteBuffer.wrap(new byte[37])).setClientDataJson(ByteBuffer.wrap("{}".getBytes())).build();

    Result result = verifier.verify(ApprovalDecision.newBuilder(good).setSignatureEnvelope(claimed).build(), R1, List.of());

    assertThat(result.verdict()).isEqualTo(Verdict.FORGED);
    assertThat(result.reason()).contains("a WEBAUTHN signature with the ED25519 key");
  }

  @Test
  void aSchemeWithoutAVerifierIsUnsupportedNeverValid() {
    ApprovalVerifier withoutVerifiers = new ApprovalVerifier(new SignatureCheck(registry, List.of()));

    assertThat(withoutVerifiers.verify(signed(R1, "alice", alice), R1, List.of()).verdict())
        .isEqualTo(Verdict.UNSUPPORTED_SCHEME);
  }

  @Test
  void signingWithAnotherPersonsOrAHelpDeskKeyIsRefusedBeforeAnythingIsSigned() {
    assertThatThrownBy(() -> ApprovalSigner.sign(draft("r-1", "alice"), "n", bob))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to bob");
    assertThatThrownBy(() -> ApprovalSigner.sign(draft("r-1", "hd-7"), "n", agent))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an approver's key");
  }

  private static ApprovalDecision signed(CaseRef theCase, String approverId, PersonKeyFile key) {
    return ApprovalSigner.sign(draft(theCase.requestId(), approverId), theCase.nonce(), key);
  }

  private static ApprovalDecision.Builder draft(String requestId, String approverId) {
    return ApprovalDecision.newBuilder().setEventId("ad-1").setEventTime(AT).setRequestId(requestId)
        .setSubjectId("s-1").setApproverId(approverId).setDecision(Decision.APPROVE).setDecidedAt(AT);
  }
}
