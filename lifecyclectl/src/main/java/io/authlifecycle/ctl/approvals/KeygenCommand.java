package io.authlifecycle.ctl.approvals;

import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.Role;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keygen --person ID --hr-subject HR --role ROLE}: writes a help-desk agent's or approver's
 * Ed25519 key pair and prints the line to add to {@code person.keys}.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Create a help-desk agent's or an approver's Ed25519 signing key pair.",
        "Writes the key file (owner-only) and prints the person.keys entry for the recovery worker's configuration."})
public final class KeygenCommand implements Callable<Integer> {

  private static final Pattern ID = Pattern.compile("[^\\s:,+]+");

  @Spec
  CommandSpec spec;

  @Option(names = "--person", required = true, description = "The id you sign as (as the recovery worker will know you).")
  String person;

  @Option(names = "--hr-subject", required = true, description = "Your HR subject id: what separation of duties compares.")
  String hrSubject;

  @Option(names = "--role", required = true, split = ",",
      description = "What the key signs: HELP_DESK (recovery requests), APPROVER (decisions), or both (comma-separated).")
  List<Role> roles;

  @Option(names = "--out", description = "Key file to write (default: ./<person>.key); never overwritten.")
  Path out;

  @Override
  public Integer call() {
    if (!ID.matcher(person).matches() || !ID.matcher(hrSubject).matches()) {
      spec.commandLine().getErr().println("error: --person and --hr-subject must be non-blank ids without spaces, ':', ',' or '+'");
      return 1;
    }
    Path file = out != null ? out : Path.of(person + ".key");
    Set<Role> keyRoles = EnumSet.copyOf(roles);
    PersonKeyFile keys = PersonKeyFile.generate(new Person(person, hrSubject), keyRoles);
    try {
      keys.writeNew(file);
    } catch (FileAlreadyExistsException e) {
      spec.commandLine().getErr().println("error: " + file + " already exists; refusing to overwrite a key file");
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getErr().println("wrote the " + keyRoles + " key of " + keys.person() + " to " + file.toAbsolutePath()
        + " (keep it private). Add this entry to person.keys:");
    spec.commandLine().getOut().println(keys.registryEntry());
    return 0;
  }
}
