package io.authlifecycle.ctl.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RegisteredKey;
import io.authlifecycle.core.approvals.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeygenCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesAKeyFileAndPrintsTheRegistryEntryWithPersonHrSubjectAndRoles() throws Exception {
    Path file = dir.resolve("ap-1.key");

    int exit = run(new KeygenCommand(), "--person", "ap-1", "--hr-subject", "E1001", "--role", "APPROVER", "--out", file.toString());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    String line = out.toString().strip();
    assertThat(line).startsWith("ap-1:E1001:APPROVER:ED25519:");
    PersonKeyFile keys = PersonKeyFile.read(file);
    RegisteredKey registered = PersonKeyRegistry.parse(List.of(line)).key(keys.keyId()).orElseThrow();
    assertThat(registered.person()).isEqualTo(new Person("ap-1", "E1001"));
    assertThat(registered.roles()).containsExactly(Role.APPROVER);
    assertThat(err.toString()).contains("wrote the [APPROVER] key of ap-1 (HR E1001)").contains("person.keys");
  }

  @Test
  void aKeyMayHoldBothRolesAndKeyEntryPrintsTheSameLineAgain() throws Exception {
    Path file = dir.resolve("hd-9.key");
    run(new KeygenCommand(), "--person", "hd-9", "--hr-subject", "E2009", "--role", "HELP_DESK,APPROVER", "--out", file.toString());
    String printed = out.toString().strip();
    out.getBuffer().setLength(0);

    int exit = run(new KeyEntryCommand(), "--key", file.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(out.toString().strip()).isEqualTo(printed).startsWith("hd-9:E2009:APPROVER+HELP_DESK:ED25519:");
    assertThat(err.toString()).contains("key " + PersonKeyFile.read(file).keyId());
  }

  @Test
  void neverOverwritesAnExistingKeyFile() throws Exception {
    Path file = dir.resolve("ap-1.key");
    run(new KeygenCommand(), "--person", "ap-1", "--hr-subject", "E1001", "--role", "APPROVER", "--out", file.toString());
    String before = Files.readString(file);

    int exit = run(new KeygenCommand(), "--person", "ap-1", "--hr-subject", "E1001", "--role", "APPROVER", "--out", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("already exists; refusing to overwrite");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void idsThatWouldBreakTheRegistryLineAreRefused() {
    assertThat(run(new KeygenCommand(), "--person", "a:b", "--hr-subject", "E1", "--role", "APPROVER",
        "--out", dir.resolve("x.key").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("without spaces, ':', ',' or '+'");
    assertThat(Files.exists(dir.resolve("x.key"))).isFalse();
    assertThat(run(new KeygenCommand(), "--person", "a", "--hr-subject", "E1", "--role", "ROOT",
        "--out", dir.resolve("y.key").toString())).isEqualTo(2);
  }

  private int run(Callable<Integer> command, String... args) {
    return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }
}
