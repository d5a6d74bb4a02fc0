package io.authlifecycle.ctl.ops;

import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.ctl.KafkaOptions;
import io.authlifecycle.schemas.SchemaCatalog;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit verify}: checks every hash chain on the audit topic; exit 2 on any break. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Read the audit topic (read-committed) and check every (worker, subject) chain; "
        + "report the first broken link or gap of each chain with its offset. Exit 0 if intact, 2 if not.")
public final class AuditVerifyCommand implements Callable<Integer> {

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--subject", paramLabel = "S", description = "Only the chains of this subject.")
  String subject;

  @Option(names = "--topic", paramLabel = "T", defaultValue = "audit.lifecycle.v1",
      description = "The audit topic, or a copy of it (default: ${DEFAULT-VALUE}).")
  String topic;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, Object> props = new HashMap<>();
    kafka.clientProperties().forEach((k, v) -> props.put(k.toString(), v));
    AuditChainVerifier.Report report = new AuditTopicVerifier(SchemaCatalog.get())
        .verify(props, topic, Optional.ofNullable(subject));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: %d records in %d chains%s%n", topic, report.records(), report.chains(),
        subject == null ? "" : " (subject " + subject + ")");
    report.breaks().forEach(b -> out.println("BROKEN " + b));
    out.println(report.intact() ? "intact" : report.breaks().size() + " broken chain(s)");
    out.flush();
    return report.intact() ? 0 : 2;
  }

  /** {@code audit}: the group. */
  @Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the audit trail.",
      subcommands = AuditVerifyCommand.class)
  public static final class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
