package io.authlifecycle.ctl.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.approvals.ApproverKeyFile;
import io.authlifecycle.core.approvals.ApproverKeyRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeygenCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesAKeyFileAndPrintsTheRegistryEntryThatVerifiesItsSignatures() throws Exception {
    Path file = dir.resolve("ap-1.key");

    int exit = run("--approver", "ap-1", "--out", file.toString());

    assertThat(exit).isEqualTo(0);
    String line = out.toString().strip();
    assertThat(line).startsWith("ap-1:");
    ApproverKeyFile keys = ApproverKeyFile.read(file);
    assertThat(ApproverKeyRegistry.parse(List.of(line)).key("ap-1")).contains(keys.publicKey());
    assertThat(err.toString()).contains("wrote the key pair of ap-1").contains("approvers.keys");
  }

  @Test
  void neverOverwritesAnExistingKeyFile() throws Exception {
    Path file = dir.resolve("ap-1.key");
    run("--approver", "ap-1", "--out", file.toString());
    String before = Files.readString(file);

    int exit = run("--approver", "ap-1", "--out", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("already exists; refusing to overwrite");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void anApproverIdThatWouldBreakTheRegistryLineIsRefused() {
    assertThat(run("--approver", "a:b", "--out", dir.resolve("x.key").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("without ':' or ','");
    assertThat(Files.exists(dir.resolve("x.key"))).isFalse();
  }

  private int run(String... args) {
    return new CommandLine(new KeygenCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }
}
