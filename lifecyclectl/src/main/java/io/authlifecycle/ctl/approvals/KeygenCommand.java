package io.authlifecycle.ctl.approvals;

import io.authlifecycle.core.approvals.ApproverKeyFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keygen --approver ID}: writes an approver's Ed25519 key pair and prints the line to add to {@code approvers.keys}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Create an approver's Ed25519 signing key pair.",
        "Writes the key file (owner-only) and prints the approvers.keys entry for the recovery worker's configuration."})
public final class KeygenCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--approver", required = true, description = "The approver's id, as the recovery worker will know it.")
  String approver;

  @Option(names = "--out", description = "Key file to write (default: ./<approver>.key); never overwritten.")
  Path out;

  @Override
  public Integer call() {
    if (approver.isBlank() || approver.contains(":") || approver.contains(",")) {
      spec.commandLine().getErr().println("error: --approver must be a non-blank id without ':' or ','");
      return 1;
    }
    Path file = out != null ? out : Path.of(approver + ".key");
    ApproverKeyFile keys = ApproverKeyFile.generate(approver);
    try {
      keys.writeNew(file);
    } catch (FileAlreadyExistsException e) {
      spec.commandLine().getErr().println("error: " + file + " already exists; refusing to overwrite a key file");
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getErr().println("wrote the key pair of " + approver + " to " + file.toAbsolutePath()
        + " (keep it private). Add this entry to approvers.keys:");
    spec.commandLine().getOut().println(keys.registryEntry());
    return 0;
  }
}
