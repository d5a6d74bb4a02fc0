package io.authlifecycle.ctl.ops;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.core.deadletter.DeadLetterReplay;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.KafkaOptions;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dlq list|replay}: dead letters with their reasons, and an audited replay after a fix. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters: list them, replay them after a fix.",
    subcommands = {DlqCommand.ListLetters.class, DlqCommand.ReplayLetters.class})
public final class DlqCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What both subcommands select. */
  static class Selection {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "A dead-letter topic, e.g. hr.worker-events.dlq.v1.")
    String topic;

    @Option(names = "--since", paramLabel = "WHEN",
        description = "Only letters written at or after this time: an ISO instant (2026-11-28T09:00:00Z) or an age (30m, 2h, 7d).")
    String since;

    @Option(names = "--offset", paramLabel = "PARTITION:OFFSET", split = ",",
        description = "Only these letters (as listed by dlq list).")
    List<String> offsets = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @SuppressWarnings("unchecked")
    TopicSpec<DeadLetter> dlq() {
      TopicSpec<?> spec = Topics.byName(topic).orElse(null);
      if (spec == null || !topic.endsWith(Topics.DLQ_SUFFIX)) {
        throw new ParameterException(this.spec.commandLine(), "not a dead-letter topic: " + topic + "; dead-letter topics: "
            + String.join(", ", Topics.ALL.stream().flatMap(t -> t.deadLetters().stream()).map(TopicSpec::name).toList()));
      }
      return (TopicSpec<DeadLetter>) spec;
    }

    Predicate<DeadLetterReplay.Positioned> filter() {
      Predicate<DeadLetterReplay.Positioned> filter = p -> true;
      if (since != null) {
        filter = filter.and(DeadLetterReplay.since(parseSince(since)));
      }
      if (!offsets.isEmpty()) {
        filter = filter.and(p -> offsets.contains(p.partition() + ":" + p.offset()));
      }
      return filter;
    }

    private Instant parseSince(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException notAnInstant) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(value.trim());
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

    DeadLetterReplay replay() {
      Map<String, Object> props = new HashMap<>();
      kafka.clientProperties().forEach((k, v) -> props.put(k.toString(), v));
      return new DeadLetterReplay(props);
    }
  }

  /** {@code dlq list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per dead letter: where, when, why, and the key.")
  public static final class ListLetters extends Selection implements Callable<Integer> {
    @Override
    public Integer call() {
      List<DeadLetterReplay.Positioned> letters = replay().list(dlq(), filter());
      PrintWriter out = spec.commandLine().getOut();
      for (DeadLetterReplay.Positioned p : letters) {
        DeadLetter l = p.letter();
        out.printf("%d:%d  %s  %s  %s  from %s-%d@%d  key=%s  %s%s%n", p.partition(), p.offset(), l.getEventTime(),
            l.getWorker(), l.getErrorKind(), l.getSourceTopic(), l.getPartition(), l.getOffset(), text(l.getKey()), l.getError(),
            l.getTruncated() ? "  (copy truncated: original " + l.getValueSize() + " bytes, sha256 " + l.getValueSha256() + ")" : "");
      }
      out.println(letters.size() + " dead letter(s) on " + topic);
      out.flush();
      return 0;
    }
  }

  /** {@code dlq replay}. */
  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Send the selected letters' original bytes back to their source topic, audited as dlq.replayed.")
  public static final class ReplayLetters extends Selection implements Callable<Integer> {

    @Option(names = "--operator", required = true, paramLabel = "NAME", description = "Who replays (recorded in the audit).")
    String operator;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "What was fixed (recorded in the audit).")
    String reason;

    @Override
    public Integer call() {
      if (since == null && offsets.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "choose the letters to replay with --since and/or --offset");
      }
      DeadLetterReplay replay = replay();
      List<DeadLetterReplay.Positioned> letters = replay.list(dlq(), filter());
      List<AuditEvent> audits = letters.isEmpty() ? List.of() : replay.replay(letters, operator, reason);
      PrintWriter out = spec.commandLine().getOut();
      audits.forEach(a -> out.println("replayed " + a.getDetails().get("deadLetterPartition") + ":"
          + a.getDetails().get("deadLetterOffset") + " to " + a.getDetails().get("sourceTopic") + " (audit " + a.getEventId() + ")"));
      out.println(audits.size() + " letter(s) replayed");
      out.flush();
      return 0;
    }
  }

  private static String text(ByteBuffer buffer) {
    if (buffer == null) {
      return "(none)";
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
