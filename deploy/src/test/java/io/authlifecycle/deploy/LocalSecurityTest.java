package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secured local stack's secrets on disk: readable by the user who runs it, and nobody else. */
class LocalSecurityTest {

  @TempDir
  Path home;

  @Test
  void theCredentialFilesAreReadableByTheirOwnerOnlyAndStaySoWhenRewritten() throws Exception {
    LocalSecurity.load(home);
    Files.setPosixFilePermissions(home.resolve("credentials.properties"), PosixFilePermissions.fromString("rw-r--r--"));
    LocalSecurity.load(home);

    for (String file : List.of("credentials.properties", "admin-client.properties")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file)))).as(file).isEqualTo("rw-------");
    }
    assertThat(Files.readString(home.resolve("credentials.properties"))).contains("admin=");
  }

  @Test
  void theStacksKeysAndQueryTokenAreReadableByTheirOwnerOnlyAndKeptAcrossRestarts() throws Exception {
    LocalSecrets first = LocalSecrets.prepare(home, List.of("leaver-worker", "idp-gateway"));
    String keys = Files.readString(first.writerKeys());
    String token = Files.readString(first.queryToken());
    LocalSecrets again = LocalSecrets.prepare(home, List.of("leaver-worker", "idp-gateway"));

    for (Path file : List.of(home.resolve("keys/leaver-worker.key"), home.resolve("keys/idp-gateway.key"), first.queryToken())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
    }
    assertThat(keys).contains("\nleaver-worker:").contains("\nidp-gateway:");
    assertThat(Files.readString(again.writerKeys())).isEqualTo(keys);
    assertThat(Files.readString(again.queryToken())).isEqualTo(token).hasSizeGreaterThan(40);
    assertThat(again.settingsOf("leaver-worker")).containsEntry("audit.signing-key", home.resolve("keys/leaver-worker.key").toString())
        .containsEntry("http.query-token-file", first.queryToken().toString());
  }
}
