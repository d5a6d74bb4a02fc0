package io.authlifecycle.ctl.ops;

import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit keygen --writer NAME}: a component's checkpoint signing key, and the public line the verifier needs. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Create a component's Ed25519 key for signing its audit checkpoints.",
        "Writes the key file (owner-only; give it to the component as audit.signing-key) and prints the "
            + "writer:public-key line for the verifier's key list (audit verify --writer-keys, or audit.writer-keys)."})
public final class AuditKeygenCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--writer", required = true, description = "The component, as it names itself in the audit (e.g. leaver-worker).")
  String writer;

  @Option(names = "--out", description = "Key file to write (default: ./<writer>.key); never overwritten.")
  Path out;

  @Override
  public Integer call() {
    if (writer.isBlank() || writer.contains(":") || writer.contains(",") || writer.contains("/")) {
      spec.commandLine().getErr().println("error: --writer must be a non-blank name without ':', ',' or '/'");
      return 1;
    }
    Path file = out != null ? out : Path.of(writer + ".key");
    WriterKeyFile key = WriterKeyFile.generate(writer);
    try {
      key.writeNew(file);
    } catch (FileAlreadyExistsException e) {
      spec.commandLine().getErr().println("error: " + file + " already exists; refusing to overwrite a key file");
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getErr().println("wrote the checkpoint signing key of " + writer + " to " + file.toAbsolutePath()
        + " (keep it private; set audit.signing-key to it). The verifier's key list takes this line:");
    spec.commandLine().getOut().println(key.publicEntry());
    return 0;
  }
}
