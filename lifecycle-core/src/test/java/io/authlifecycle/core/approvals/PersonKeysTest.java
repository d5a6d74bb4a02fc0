package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The person key registry setting and the key file format. */
class PersonKeysTest {

  private static final Person ALICE = new Person("alice", "E1001");
  private static final Person BOB = new Person("bob", "E1002");

  @TempDir
  Path dir;

  @Test
  void theRegistryLineKeygenPrintsParsesBackToTheSamePersonRolesAndKey() {
    PersonKeyFile alice = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER, Role.HELP_DESK));
    PersonKeyFile bob = PersonKeyFile.generate(BOB, Set.of(Role.HELP_DESK));

    PersonKeyRegistry registry = PersonKeyRegistry.parse(List.of(alice.registryEntry(), " " + bob.registryEntry() + " "));

    assertThat(alice.registryEntry()).startsWith("alice:E1001:APPROVER+HELP_DESK:ED25519:MCowBQYDK2VwAyEA");
    RegisteredKey key = registry.key(alice.keyId()).orElseThrow();
    assertThat(key).isEqualTo(new RegisteredKey(alice.keyId(), SignatureScheme.ED25519, ALICE,
        Set.of(Role.APPROVER, Role.HELP_DESK), Ed25519.encodePublic(alice.publicKey())));
    assertThat(registry.key(bob.keyId()).orElseThrow().roles()).containsExactly(Role.HELP_DESK);
    assertThat(registry.person("bob")).contains(BOB);
    assertThat(registry.people(Role.APPROVER)).isEqualTo(1);
    assertThat(registry.key("unknown")).isEmpty();
  }

  @Test
  void aKeyIdIsBase64UrlOfSha256OverTheX509PublicKey() throws Exception {
    PersonKeyFile alice = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER));

    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(alice.publicKey().getEncoded());
    assertThat(alice.keyId()).isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
  }

  @Test
  void onePersonMayHoldSeveralKeys() {
    PersonKeyFile approving = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER));
    PersonKeyFile helpDesk = PersonKeyFile.generate(ALICE, Set.of(Role.HELP_DESK));

    PersonKeyRegistry registry = PersonKeyRegistry.parse(List.of(approving.registryEntry(), helpDesk.registryEntry()));

    assertThat(registry.keys()).hasSize(2).extracting(RegisteredKey::person).containsOnly(ALICE);
  }

  @Test
  void oneKeyRegisteredUnderTwoIdsIsRefusedSoItCannotMakeAQuorumOfTwo() {
    PersonKeyFile alice = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER));
    String sameKeyAsBob = PersonKeyRegistry.entry(BOB, Set.of(Role.APPROVER), alice.publicKey());

    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of(alice.registryEntry(), sameKeyAsBob)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("person.keys")
        .hasMessageContaining("entry 2 (bob): this key is already registered (entry 1 (alice), person alice)");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of(alice.registryEntry(), alice.registryEntry())))
        .hasMessageContaining("entry 2 (alice): this key is already registered");
  }

  @Test
  void twoIdsForOneHrSubjectAndTwoHrSubjectsForOneIdAreRefused() {
    String alice = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER)).registryEntry();
    String aliceAgain = PersonKeyFile.generate(new Person("alice-2", "E1001"), Set.of(Role.APPROVER)).registryEntry();
    String aliceElsewhere = PersonKeyFile.generate(new Person("alice", "E9999"), Set.of(Role.APPROVER)).registryEntry();

    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of(alice, aliceAgain)))
        .hasMessageContaining("HR subject E1001 is already registered as person alice");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of(alice, aliceElsewhere)))
        .hasMessageContaining("person alice is already registered with HR subject E1001, not E9999");
  }

  @Test
  void aBadRegistryEntryFailsStartUpNamingTheKeyAndTheEntry() {
    String good = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER)).registryEntry();
    String key = good.substring(good.lastIndexOf(':') + 1);

    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of(good, "bob:E2:APPROVER:ED25519:bm90IGEga2V5")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("entry 2 (bob)").hasMessageContaining("Ed25519");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of("bob:" + key)))
        .hasMessageContaining("entry 1 is not personId:hrSubjectId:ROLE[+ROLE]:ED25519:base64-public-key");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of("bob:E2:ROOT:ED25519:" + key)))
        .hasMessageContaining("unknown role 'ROOT'");
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of("bob: :APPROVER:ED25519:" + key)))
        .hasMessageContaining("must be non-blank");
  }

  @Test
  void aWebAuthnEntryWithoutItsPublicKeyIsRefusedRatherThanAcceptedUnverified() {
    assertThatThrownBy(() -> PersonKeyRegistry.parse(List.of("bob:E2:APPROVER:WEBAUTHN:cred-1")))
        .hasMessageContaining("a WEBAUTHN entry is personId:hrSubjectId:ROLE[+ROLE]:WEBAUTHN:credentialId:base64url-COSE-key");
  }

  @Test
  void theSettingRejectsABadRegistryWhenTheConfigurationLoadsWithTheEntrysProblem() {
    assertThatThrownBy(() -> Settings.load(List.of(PersonKeyRegistry.PERSON_KEYS), Optional.empty(), Map.of(),
        Map.of("person.keys", "alice:E1:APPROVER:ED25519:%%%")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("person.keys").hasMessageContaining("entry 1 (alice)");
    assertThat(Settings.load(List.of(PersonKeyRegistry.PERSON_KEYS), Optional.empty(), Map.of(), Map.of())
        .get(PersonKeyRegistry.PERSON_KEYS)).isEmpty();
  }

  @Test
  void theFirstReleasesApproverListIsRefusedWithWhatToDoInstead() {
    assertThatThrownBy(() -> Settings.load(List.of(PersonKeyRegistry.RETIRED_APPROVER_KEYS), Optional.empty(), Map.of(),
        Map.of("approvers.keys", "ap-1:MCowBQYDK2VwAyEA")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("approvers.keys").hasMessageContaining("person.keys");
  }

  @Test
  void aKeyFileRoundTripsAndIsReadableByItsOwnerOnly() throws Exception {
    PersonKeyFile alice = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER, Role.HELP_DESK));
    Path file = dir.resolve("keys/alice.key");

    alice.writeNew(file);
    PersonKeyFile read = PersonKeyFile.read(file);

    assertThat(read).isEqualTo(alice);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("format=" + PersonKeyFile.FORMAT).contains("person=alice")
        .contains("hrSubject=E1001").contains("roles=APPROVER,HELP_DESK");
  }

  @Test
  void anExistingKeyFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("alice.key");
    PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER)).writeNew(file);
    String before = Files.readString(file);

    assertThatThrownBy(() -> PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER)).writeNew(file))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void wrongKeyFilesGiveMessagesThatSayWhatIsWrong() throws Exception {
    String head = "format=" + PersonKeyFile.FORMAT + "\nperson=alice\nhrSubject=E1001\nroles=APPROVER\nalgorithm=Ed25519\n";
    PersonKeyFile a = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER));
    PersonKeyFile b = PersonKeyFile.generate(ALICE, Set.of(Role.APPROVER));
    Path missing = dir.resolve("missing.key");
    Path notAKey = write("notes.txt", "hello world\n");
    Path old = write("old.key", "format=authn-lifecycle-approver-key/1\napprover=alice\n");
    Path noPrivate = write("half.key", head + "publicKey=" + Ed25519.encodePublic(a.publicKey()) + "\n");
    Path mismatched = write("mixed.key", head + "publicKey=" + Ed25519.encodePublic(a.publicKey())
        + "\nprivateKey=" + Ed25519.encodePrivate(b.privateKey()) + "\n");
    Path badBase64 = write("bad.key", head + "publicKey=***\nprivateKey=***\n");
    Path noSubject = write("nosubject.key", head.replace("hrSubject=E1001\n", ""));

    assertThatThrownBy(() -> PersonKeyFile.read(missing)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> PersonKeyFile.read(notAKey)).hasMessageContaining("is not a signing key file");
    assertThatThrownBy(() -> PersonKeyFile.read(old)).hasMessageContaining("first release").hasMessageContaining("keygen");
    assertThatThrownBy(() -> PersonKeyFile.read(noPrivate)).hasMessageContaining("has no privateKey");
    assertThatThrownBy(() -> PersonKeyFile.read(mismatched)).hasMessageContaining("does not match the public key");
    assertThatThrownBy(() -> PersonKeyFile.read(badBase64)).hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> PersonKeyFile.read(noSubject)).hasMessageContaining("has no hrSubject");
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
