package io.authlifecycle.deploy;

import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.ProduceCommand;
import io.authlifecycle.ctl.Publisher;
import io.authlifecycle.ctl.RecordLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * The demo's scripted events: JSON lines under {@code demo/} on the class path, one file per topic,
 * in the CLI's plain format with two kinds of placeholders, so every run tells a fresh story:
 * {@code "{{now}}"}, {@code "{{now+20s}}"}, {@code "{{now-30d}}"} become ISO-8601 times, and
 * {@code {{run}}} becomes a short id of this run that every subject and event id carries.
 */
public final class DemoFeed {

  /** Fed in this order: existing factors first, then HR, MDM and recovery events. */
  public static final List<String> RESOURCES = List.of(
      "demo/1-authn.authenticator-events.v1.jsonl",
      "demo/2-hr.worker-events.v1.jsonl",
      "demo/3-mdm.device-events.v1.jsonl",
      "demo/4-recovery.requests.v1.jsonl");

  private static final Pattern TIME = Pattern.compile("\"\\{\\{now(?:([+-])(\\d+)(ms|s|m|h|d))?}}\"");

  /** One record to feed, with its topic and the record for the console. */
  public record Item(TopicSpec<?> topic, SpecificRecord record, Publisher.Encoded encoded) {}

  private DemoFeed() {}

  /**
   * Every scripted record, filled in for {@code now} and {@code run}; help-desk requests signed by
   * {@code agent}, as the help desk's own tool signs them (the worker refuses unsigned ones).
   */
  public static List<Item> items(Instant now, String run, PersonKeyFile agent) {
    List<Item> items = new ArrayList<>();
    for (String resource : RESOURCES) {
      TopicSpec<?> topic = topicOf(resource);
      List<String> lines = fill(read(resource), now, run).lines().toList();
      List<String> problems = new ArrayList<>();
      List<Publisher.Encoded> encoded = ProduceCommand.encode(topic, lines, problems);
      if (!problems.isEmpty()) {
        throw new IllegalStateException(resource + ": " + String.join("; ", problems));
      }
      List<String> records = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      for (int i = 0; i < encoded.size(); i++) {
        try {
          SpecificRecord record = RecordLines.parse(topic, records.get(i));
          items.add(record instanceof RecoveryRequest request && topic == Topics.RECOVERY_REQUESTS
              ? signed(request, agent, encoded.get(i)) : new Item(topic, record, encoded.get(i)));
        } catch (RecordLines.MalformedLine e) {
          throw new IllegalStateException(resource + ": " + e.getMessage(), e);
        }
      }
    }
    return items;
  }

  private static Item signed(RecoveryRequest request, PersonKeyFile agent, Publisher.Encoded unsigned) {
    RecoveryRequest signed = RequestSigner.sign(RecoveryRequest.newBuilder(request), agent);
    byte[] value = Topics.RECOVERY_REQUESTS.valueSerde().serializer().serialize(Topics.RECOVERY_REQUESTS.name(), signed);
    return new Item(Topics.RECOVERY_REQUESTS, signed, new Publisher.Encoded(unsigned.topic(), unsigned.key(), value));
  }

  /** Bytes that are not Avro at all, as a broken HR feed might send them. */
  public static Publisher.Encoded garbage(String run) {
    return new Publisher.Encoded(Topics.HR_WORKER_EVENTS.name(),
        ("mallory-" + run).getBytes(StandardCharsets.UTF_8),
        "<employee id=\"mallory\" status=\"terminated\"/>".getBytes(StandardCharsets.UTF_8));
  }

  /** A short id for this run: four base-36 characters from the clock. */
  public static String runId(Instant now) {
    String id = Long.toString(now.getEpochSecond() % (36L * 36 * 36 * 36), 36).toLowerCase(Locale.ROOT);
    return "0".repeat(4 - id.length()) + id;
  }

  static String fill(String text, Instant now, String run) {
    Matcher m = TIME.matcher(text.replace("{{run}}", run));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      long millis = now.toEpochMilli();
      if (m.group(1) != null) {
        long amount = Long.parseLong(m.group(2)) * switch (m.group(3)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
        millis += m.group(1).equals("+") ? amount : -amount;
      }
      m.appendReplacement(out, "\"" + Instant.ofEpochMilli(millis) + "\"");
    }
    m.appendTail(out);
    return out.toString();
  }

  private static TopicSpec<?> topicOf(String resource) {
    String file = resource.substring(resource.lastIndexOf('/') + 1);
    String name = file.substring(file.indexOf('-') + 1, file.length() - ".jsonl".length());
    return Topics.byName(name).orElseThrow(() -> new IllegalStateException(resource + " names no registry topic"));
  }

  private static String read(String resource) {
    try (InputStream in = DemoFeed.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing demo resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
