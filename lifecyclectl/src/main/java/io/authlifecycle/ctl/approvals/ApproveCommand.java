package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.Decision;
import java.time.Clock;
import picocli.CommandLine.Command;

/** {@code approve --request ID --approver ID --key FILE [--comment ...]}: sign and publish an APPROVE. */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Approve a recovery request: signs the decision with your Ed25519 key and publishes it.")
public final class ApproveCommand extends DecisionCommand {

  public ApproveCommand() {
    this(Clock.systemUTC());
  }

  public ApproveCommand(Clock clock) {
    super(clock);
  }

  @Override
  Decision decision() {
    return Decision.APPROVE;
  }
}
