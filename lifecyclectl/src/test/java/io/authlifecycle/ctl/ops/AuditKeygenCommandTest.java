package io.authlifecycle.ctl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditKeygenCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesAnOwnerOnlyKeyFileAndPrintsThePublicLineTheVerifierTakes() throws Exception {
    Path file = dir.resolve("leaver-worker.key");

    int exit = run("--writer", "leaver-worker", "--out", file.toString());

    assertThat(exit).isZero();
    WriterKeyFile key = WriterKeyFile.read(file);
    assertThat(key.writer()).isEqualTo("leaver-worker");
    assertThat(OwnerOnlyFiles.isOwnerOnly(file)).isTrue();
    assertThat(WriterKeys.parse(List.of(out.toString().strip())).key("leaver-worker")).contains(key.publicKey());
    assertThat(err.toString()).contains("audit.signing-key");
  }

  @Test
  void neverOverwritesAKeyFile() throws Exception {
    Path file = dir.resolve("k.key");
    run("--writer", "leaver-worker", "--out", file.toString());
    String before = Files.readString(file);

    assertThat(run("--writer", "leaver-worker", "--out", file.toString())).isEqualTo(1);
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  private int run(String... args) {
    return new CommandLine(new AuditKeygenCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }
}
