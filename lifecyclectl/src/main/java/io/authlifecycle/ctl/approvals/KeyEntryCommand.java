package io.authlifecycle.ctl.approvals;

import io.authlifecycle.core.approvals.PersonKeyFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code key-entry --key FILE}: prints the {@code person.keys} entry of an existing key file, and its key id. */
@Command(name = "key-entry", mixinStandardHelpOptions = true,
    description = "Print the person.keys entry of a key file (person, HR subject, roles, public key) to register it again.")
public final class KeyEntryCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, description = "The key file (from keygen).")
  Path keyFile;

  @Override
  public Integer call() {
    PersonKeyFile key;
    try {
      key = PersonKeyFile.read(keyFile);
    } catch (PersonKeyFile.KeyFileException e) {
      spec.commandLine().getErr().println("error: wrong key file: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getErr().println("key " + key.keyId() + " of " + key.person() + ", roles " + key.roles());
    spec.commandLine().getOut().println(key.registryEntry());
    return 0;
  }
}
