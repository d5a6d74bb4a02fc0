package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approver key registry setting and the key file format. */
class ApproverKeysTest {

  @TempDir
  Path dir;

  @Test
  void theRegistryLineKeygenPrintsParsesBackToTheSameKey() {
    ApproverKeyFile alice = ApproverKeyFile.generate("alice");
    ApproverKeyFile bob = ApproverKeyFile.generate("bob");

    ApproverKeyRegistry registry = ApproverKeyRegistry.parse(List.of(alice.registryEntry(), " " + bob.registryEntry() + " "));

    assertThat(registry.approvers()).containsExactly("alice", "bob");
    assertThat(registry.key("alice")).contains(alice.publicKey());
    assertThat(registry.key("carol")).isEmpty();
  }

  @Test
  void aBadRegistryEntryFailsStartUpNamingTheKeyAndTheEntry() {
    String good = ApproverKeyFile.generate("alice").registryEntry();

    assertThatThrownBy(() -> ApproverKeyRegistry.parse(List.of(good, "bob:bm90IGEga2V5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("approvers.keys").hasMessageContaining("entry 2 (bob)").hasMessageContaining("Ed25519");
    assertThatThrownBy(() -> ApproverKeyRegistry.parse(List.of("no-colon")))
        .hasMessageContaining("entry 1 is not approverId:base64-public-key");
    assertThatThrownBy(() -> ApproverKeyRegistry.parse(List.of(good, good)))
        .hasMessageContaining("approver alice is listed twice");
  }

  @Test
  void theSettingRejectsABadRegistryWhenTheConfigurationLoads() {
    assertThatThrownBy(() -> Settings.load(List.of(ApproverKeyRegistry.APPROVER_KEYS), Optional.empty(), Map.of(),
        Map.of("approvers.keys", "alice:%%%")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("approvers.keys");
    assertThat(Settings.load(List.of(ApproverKeyRegistry.APPROVER_KEYS), Optional.empty(), Map.of(), Map.of())
        .get(ApproverKeyRegistry.APPROVER_KEYS)).isEmpty();
  }

  @Test
  void aKeyFileRoundTripsAndIsReadableByItsOwnerOnly() throws Exception {
    ApproverKeyFile alice = ApproverKeyFile.generate("alice");
    Path file = dir.resolve("keys/alice.key");

    alice.writeNew(file);
    ApproverKeyFile read = ApproverKeyFile.read(file);

    assertThat(read).isEqualTo(alice);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("format=" + ApproverKeyFile.FORMAT).contains("approver=alice");
  }

  @Test
  void anExistingKeyFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("alice.key");
    ApproverKeyFile.generate("alice").writeNew(file);
    String before = Files.readString(file);

    assertThatThrownBy(() -> ApproverKeyFile.generate("alice").writeNew(file)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void wrongKeyFilesGiveMessagesThatSayWhatIsWrong() throws Exception {
    Path missing = dir.resolve("missing.key");
    Path notAKey = write("notes.txt", "hello world\n");
    Path noPrivate = write("half.key", "format=" + ApproverKeyFile.FORMAT + "\napprover=alice\nalgorithm=Ed25519\n"
        + "publicKey=" + Ed25519.encodePublic(Ed25519.generate().getPublic()) + "\n");
    ApproverKeyFile a = ApproverKeyFile.generate("alice");
    ApproverKeyFile b = ApproverKeyFile.generate("alice");
    Path mismatched = write("mixed.key", "format=" + ApproverKeyFile.FORMAT + "\napprover=alice\nalgorithm=Ed25519\n"
        + "publicKey=" + Ed25519.encodePublic(a.publicKey()) + "\nprivateKey=" + Ed25519.encodePrivate(b.privateKey()) + "\n");
    Path badBase64 = write("bad.key", "format=" + ApproverKeyFile.FORMAT + "\napprover=alice\nalgorithm=Ed25519\n"
        + "publicKey=***\nprivateKey=***\n");

    assertThatThrownBy(() -> ApproverKeyFile.read(missing)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ApproverKeyFile.read(notAKey)).hasMessageContaining("is not an approver key file");
    assertThatThrownBy(() -> ApproverKeyFile.read(noPrivate)).hasMessageContaining("has no privateKey");
    assertThatThrownBy(() -> ApproverKeyFile.read(mismatched)).hasMessageContaining("does not match the public key");
    assertThatThrownBy(() -> ApproverKeyFile.read(badBase64)).hasMessageContaining("not valid base64");
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
