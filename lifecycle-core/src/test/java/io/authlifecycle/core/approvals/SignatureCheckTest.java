package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.core.approvals.SignatureCheck.Verdict;
import io.authlifecycle.schemas.AvroSerde;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A help-desk request's signature: the requester is the key's person, checked over the request's canonical bytes. */
class SignatureCheckTest {

  private static final Person AGENT = new Person("hd-7", "E2007");
  private static final Person APPROVER = new Person("ap-1", "E1001");

  static {
    AvroSerde.of(RecoveryRequest.class);
  }

  private final PersonKeyFile agent = PersonKeyFile.generate(AGENT, Set.of(Role.HELP_DESK));
  private final PersonKeyFile approver = PersonKeyFile.generate(APPROVER, Set.of(Role.APPROVER));
  private final SignatureCheck check = SignatureCheck.ed25519(PersonKeyRegistry.builder()
      .add(AGENT, agent.roles(), agent.publicKey()).add(APPROVER, approver.roles(), approver.publicKey()).build());

  @Test
  void aRequestSignedByAnAgentVerifiesAndNamesTheAgentAsRequester() {
    RecoveryRequest signed = RequestSigner.sign(RecoveryRequest.newBuilder(RequestStatementTest.request()), agent);

    SignatureCheck.Result result = check.check(signed.getSignatureEnvelope(), Role.HELP_DESK,
        person -> RequestStatement.canonicalBytes(signed, person.personId()));

    assertThat(signed.getRequesterId()).isEqualTo("hd-7");
    assertThat(result.verdict()).isEqualTo(Verdict.VALID);
    assertThat(result.person()).contains(AGENT);
  }

  @Test
  void aRequestWhoseRequesterFieldWasChangedAfterSigningStillNamesTheKeysPersonAndVerifies() {
    RecoveryRequest signed = RequestSigner.sign(RecoveryRequest.newBuilder(RequestStatementTest.request()), agent);
    RecoveryRequest claimsColleague = RecoveryRequest.newBuilder(signed).setRequesterId("hd-8").build();

    SignatureCheck.Result result = check.check(claimsColleague.getSignatureEnvelope(), Role.HELP_DESK,
        person -> RequestStatement.canonicalBytes(claimsColleague, person.personId()));

    assertThat(result.person()).contains(AGENT);
  }

  @Test
  void anApproverKeyCannotSignARequestAndAnAlteredRequestDoesNotVerify() {
    PersonKeyFile approverAsAgent = new PersonKeyFile(APPROVER, Set.of(Role.HELP_DESK), approver.publicKey(), approver.privateKey());
    RecoveryRequest byApprover = RequestSigner.sign(RecoveryRequest.newBuilder(RequestStatementTest.request()), approverAsAgent);
    RecoveryRequest signed = RequestSigner.sign(RecoveryRequest.newBuilder(RequestStatementTest.request()), agent);
    RecoveryRequest altered = RecoveryRequest.newBuilder(signed).setSubjectId("someone-else").build();

    assertThat(check.check(byApprover.getSignatureEnvelope(), Role.HELP_DESK,
        p -> RequestStatement.canonicalBytes(byApprover, p.personId())).verdict()).isEqualTo(Verdict.WRONG_ROLE);
    assertThat(check.check(altered.getSignatureEnvelope(), Role.HELP_DESK,
        p -> RequestStatement.canonicalBytes(altered, p.personId())).verdict()).isEqualTo(Verdict.INVALID);
    assertThat(check.check(null, Role.HELP_DESK, p -> new byte[0]).verdict()).isEqualTo(Verdict.UNSIGNED);
  }
}
