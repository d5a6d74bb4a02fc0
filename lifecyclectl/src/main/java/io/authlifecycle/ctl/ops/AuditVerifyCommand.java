package io.authlifecycle.ctl.ops;

import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.KafkaOptions;
import io.authlifecycle.ctl.WorkerSettings;
import io.authlifecycle.schemas.SchemaCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code audit verify}: checks the audit trail's chains, against its writers' signed checkpoints when given their keys. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Read the audit topic (read-committed) and check every (worker, subject) chain, reporting every broken "
        + "link, gap, fork and altered record with its offset (a break does not end the check of its chain).",
        "With the writers' public keys (--writer-keys, or audit.writer-keys as the workers read settings) it also reads "
            + "their signed checkpoints and reports records no checkpoint of their writer covers (appended by someone "
            + "else), chains whose end was removed, and forged checkpoints; a chain whose start expired is trusted from "
            + "its first checkpointed record. Exit 0 if intact, 2 if not."})
public final class AuditVerifyCommand implements Callable<Integer> {

  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--subject", paramLabel = "S", description = "Only the chains of this subject.")
  String subject;

  @Option(names = "--topic", paramLabel = "T", defaultValue = "audit.lifecycle.v1",
      description = "The audit topic, or a copy of it (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--checkpoint-topic", paramLabel = "T", defaultValue = "audit.checkpoints.v1",
      description = "Where the writers' signed checkpoints are (default: ${DEFAULT-VALUE}).")
  String checkpointTopic;

  @Option(names = "--writer-keys", paramLabel = "FILE",
      description = "The writers' public keys, one writer:base64 line each (the local stack writes DATA_DIR/keys/writer-keys.txt).")
  Path writerKeys;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Start at this time (an ISO instant, or an age such as 30d) instead of the topics' beginning: "
          + "chains may then start anywhere, and are trusted from their first checkpointed record.")
  String since;

  @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "PT1M",
      description = "Clock difference allowed between a record and its writer's checkpoints (default: ${DEFAULT-VALUE}).")
  Duration grace;

  /** The environment the workers' settings are read from; tests give their own. */
  Map<String, String> environment = System.getenv();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Map<String, Object> props = new HashMap<>();
    kafka.clientProperties().forEach((k, v) -> props.put(k.toString(), v));
    WriterKeys keys = WriterKeys.parse(WorkerSettings.load(environment, List.of(WriterKeys.WRITER_KEYS)).get(WriterKeys.WRITER_KEYS));
    if (writerKeys != null) {
      keys = keys.and(WriterKeys.read(writerKeys));
    }
    Optional<Instant> from = Optional.ofNullable(since).map(this::parseSince);
    AuditChainVerifier.Report report = new AuditTopicVerifier(SchemaCatalog.get()).verify(props, new AuditTopicVerifier.Request(
        topic, checkpointTopic, Optional.ofNullable(subject), keys, new AuditChainVerifier.Options(from, grace, Instant.now())));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: %d records in %d chains%s%s%n", topic, report.records(), report.chains(),
        subject == null ? "" : " (subject " + subject + ")", from.map(t -> " from " + t).orElse(""));
    if (keys.isEmpty()) {
      out.println("NOTE no writer keys given: links checked only; any writer of " + topic + " could have chained these "
          + "records (give --writer-keys to check them against the signed checkpoints on " + checkpointTopic + ")");
    } else {
      out.printf("%s: %d valid checkpoints of %s; %d records too recent for a checkpoint yet%n", checkpointTopic,
          report.checkpoints(), String.join(", ", keys.signers()), report.pending());
    }
    report.notes().forEach(n -> out.println("NOTE " + n));
    report.breaks().forEach(b -> out.println("BROKEN " + b));
    out.println(report.intact() ? "intact" : report.breaks().size() + " problem(s)");
    out.flush();
    return report.intact() ? 0 : 2;
  }

  private Instant parseSince(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      Matcher m = AGE.matcher(value.strip());
      if (!m.matches()) {
        throw new ParameterException(spec.commandLine(), "--since: expected an ISO instant or an age such as 30m, 2h, 7d: " + value);
      }
      long n = Long.parseLong(m.group(1));
      Duration age = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return Instant.now().minus(age);
    }
  }

  /** {@code audit}: the group. */
  @Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the audit trail.",
      subcommands = {AuditVerifyCommand.class, AuditKeygenCommand.class})
  public static final class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
