package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.Decision;
import java.time.Clock;
import picocli.CommandLine.Command;

/** {@code deny --request ID --approver ID --key FILE [--comment ...]}: sign and publish a DENY, which ends the request. */
@Command(name = "deny", mixinStandardHelpOptions = true,
    description = "Deny a recovery request: signs the decision with your Ed25519 key and publishes it; any deny ends the request.")
public final class DenyCommand extends DecisionCommand {

  public DenyCommand() {
    this(Clock.systemUTC());
  }

  public DenyCommand(Clock clock) {
    super(clock);
  }

  @Override
  Decision decision() {
    return Decision.DENY;
  }
}
