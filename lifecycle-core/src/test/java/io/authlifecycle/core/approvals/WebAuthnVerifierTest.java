package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.core.approvals.SignatureCheck.Verdict;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.testing.SoftPasskey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A passkey's assertion as a signature: every check of the authenticator and client data, and the counter. */
class WebAuthnVerifierTest {

  private static final String ORIGIN = "https://console.example.com";
  private static final String RP_ID = "example.com";
  private static final Person APPROVER = new Person("ap-1", "E1001");
  private static final byte[] STATEMENT = CanonicalBytes.of("authn-lifecycle/test/v1").text("decide").bytes();

  private final SoftPasskey passkey = new SoftPasskey();
  private final PersonKeyRegistry registry = PersonKeyRegistry.parse(List.of(passkey.entry(APPROVER, Set.of(Role.APPROVER))));
  private final SignatureCheck check = SignatureCheck.of(registry, new RelyingParty(RP_ID, Set.of(ORIGIN)));

  private SignatureCheck.Result checked(SignatureEnvelope envelope, long lastCounter) {
    return check.check(envelope, Role.APPROVER, p -> STATEMENT, keyId -> lastCounter);
  }

  @Test
  void anAssertionOverTheStatementVerifiesAndReportsItsCounter() {
    SignatureCheck.Result result = checked(passkey.sign(STATEMENT, RP_ID, ORIGIN, "webauthn.get", SoftPasskey.UP_UV, 7), 6);

    assertThat(result.verdict()).isEqualTo(Verdict.VALID);
    assertThat(result.person()).contains(APPROVER);
    assertThat(result.signCount()).hasValue(7);
  }

  @Test
  void refusesAnAssertionOverAnotherStatement() {
    byte[] other = CanonicalBytes.of("authn-lifecycle/test/v1").text("other").bytes();
    assertThat(checked(passkey.sign(other, RP_ID, ORIGIN), 0).verdict()).isEqualTo(Verdict.INVALID);
  }

  @Test
  void refusesAnotherOriginAnotherRpIdAndARegistrationType() {
    assertThat(checked(passkey.sign(STATEMENT, RP_ID, "https://evil.example.net"), 0).reason()).contains("Origin");
    assertThat(checked(passkey.sign(STATEMENT, "evil.example.net", ORIGIN), 0).reason()).contains("BadRpIdException");
    assertThat(checked(passkey.sign(STATEMENT, RP_ID, ORIGIN, "webauthn.create", SoftPasskey.UP_UV, 9), 0).verdict())
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void refusesAnAssertionWithoutUserVerificationOrPresence() {
    assertThat(checked(passkey.sign(STATEMENT, RP_ID, ORIGIN, "webauthn.get", 0x01, 3), 0).reason()).contains("UserNotVerified");
    assertThat(checked(passkey.sign(STATEMENT, RP_ID, ORIGIN, "webauthn.get", 0x04, 3), 0).reason()).contains("UserNotPresent");
  }

  @Test
  void refusesACounterThatDoesNotIncrease() {
    SignatureEnvelope envelope = passkey.sign(STATEMENT, RP_ID, ORIGIN, "webauthn.get", SoftPasskey.UP_UV, 5);

    assertThat(checked(envelope, 4).verdict()).isEqualTo(Verdict.VALID);
    assertThat(checked(envelope, 5).verdict()).isEqualTo(Verdict.INVALID);
    assertThat(checked(envelope, 5).reason()).contains("Counter");
  }

  @Test
  void anAuthenticatorWithoutACounterPassesAtZero() {
    assertThat(checked(passkey.sign(STATEMENT, RP_ID, ORIGIN, "webauthn.get", SoftPasskey.UP_UV, 0), 0).verdict())
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void refusesASignatureByAnotherAuthenticatorUnderThisCredentialId() {
    SoftPasskey other = new SoftPasskey();
    SignatureEnvelope theirs = other.sign(STATEMENT, RP_ID, ORIGIN);
    SignatureEnvelope forged = SignatureEnvelope.newBuilder(theirs).setKeyId(passkey.credentialId()).build();

    assertThat(checked(forged, 0).verdict()).isEqualTo(Verdict.INVALID);
    assertThat(checked(theirs, 0).verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
  }

  @Test
  void refusesAnEnvelopeWithoutClientDataAndAnyPasskeyWithoutConfiguredOrigins() {
    SignatureEnvelope stripped = SignatureEnvelope.newBuilder(passkey.sign(STATEMENT, RP_ID, ORIGIN)).setClientDataJson(null).build();
    SignatureCheck noOrigins = SignatureCheck.of(registry, new RelyingParty(RP_ID, Set.of()));

    assertThat(checked(stripped, 0).verdict()).isEqualTo(Verdict.INVALID);
    assertThat(noOrigins.check(passkey.sign(STATEMENT, RP_ID, ORIGIN), Role.APPROVER, p -> STATEMENT).reason())
        .contains("webauthn.origins");
  }

  @Test
  void keyFilesOnlyRefusePasskeysAsUnsupported() {
    assertThat(SignatureCheck.ed25519(registry).check(passkey.sign(STATEMENT, RP_ID, ORIGIN), Role.APPROVER, p -> STATEMENT)
        .verdict()).isEqualTo(Verdict.UNSUPPORTED_SCHEME);
  }

  @Test
  void theRegistryReadsPasskeyEntriesAndRefusesBadOnesAndOneKeyTwice() {
    RegisteredKey key = registry.key(passkey.credentialId()).orElseThrow();
    String entry = passkey.entry(APPROVER, Set.of(Role.APPROVER));
    String sameKeyOtherId = "ap-2:E1002:APPROVER:WEBAUTHN:" + new SoftPasskey().credentialId() + ":" + passkey.coseKey();

    assertThat(key.person()).isEqualTo(APPROVER);
    assertThat(key.scheme()).isEqualTo(io.authlifecycle.avro.SignatureScheme.WEBAUTHN);
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of(entry, sameKeyOtherId))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of("ap-1:E1001:APPROVER:WEBAUTHN:" + passkey.credentialId())))
        .hasMessageContaining("WEBAUTHN entry is");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of("ap-1:E1001:APPROVER:WEBAUTHN:" + passkey.credentialId()
        + ":AAAA"))).hasMessageContaining("COSE");
  }
}
