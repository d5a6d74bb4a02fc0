package io.authlifecycle.ctl.console;

import io.authlifecycle.core.approvals.EnrollLinks;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.Role;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code console enroll-link}: a single-use link through which one person enrolls a console passkey,
 * signed with the console's enrollment secret (read from a file or the environment, never an argument).
 */
@Command(name = "enroll-link", mixinStandardHelpOptions = true,
    description = "Print a single-use link that enrolls a passkey in the approver console for one person.")
public final class EnrollLinkCommand implements Callable<Integer> {

  static final String SECRET_ENV = "LIFECYCLE_CONSOLE_ENROLL_SECRET";

  @Spec
  CommandSpec spec;

  @Option(names = "--person", required = true, description = "The person id the passkey signs as (e.g. ap-1).")
  String personId;

  @Option(names = "--hr-subject", required = true, description = "The person's HR subject id.")
  String hrSubjectId;

  @Option(names = "--roles", required = true, split = ",", description = "HELP_DESK, APPROVER or both (comma-separated).")
  List<Role> roles;

  @Option(names = "--console-url", required = true, description = "The console's URL as people open it.")
  URI consoleUrl;

  @Option(names = "--secret-file", description = "File holding console.enroll.secret; default: $" + SECRET_ENV + ".")
  Path secretFile;

  @Option(names = "--valid-for", defaultValue = "PT24H", description = "How long the link stays valid (ISO-8601, default PT24H).")
  Duration validFor;

  @Override
  public Integer call() throws IOException {
    String secret = secretFile != null ? Files.readString(secretFile, StandardCharsets.UTF_8).strip()
        : System.getenv().getOrDefault(SECRET_ENV, "");
    if (secret.length() < 32) {
      spec.commandLine().getErr().println("error: the enrollment secret (--secret-file or $" + SECRET_ENV
          + ") must be the console's console.enroll.secret, at least 32 characters");
      return 1;
    }
    if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(Duration.ofDays(7)) > 0) {
      spec.commandLine().getErr().println("error: --valid-for must be positive and at most 7 days");
      return 1;
    }
    Person person = new Person(personId, hrSubjectId);
    Set<Role> granted = EnumSet.copyOf(roles);
    String token = EnrollLinks.mint(secret, person, granted, validFor, Instant.now());
    String base = consoleUrl.toString().replaceAll("/+$", "");
    spec.commandLine().getErr().println("single-use enrollment link for " + person + " as " + granted + ", valid for "
        + validFor);
    spec.commandLine().getOut().println(base + "/enroll?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    return 0;
  }
}
