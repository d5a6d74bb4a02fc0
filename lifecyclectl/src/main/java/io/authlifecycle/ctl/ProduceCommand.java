package io.authlifecycle.ctl;

import io.authlifecycle.core.topics.TopicSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code produce --topic T [--file F]}: JSON lines in, Avro records out, keyed by subject (or device),
 * in one transaction. Every line is checked first; one bad line writes nothing.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {
        "Writes JSON lines to a topic as Avro records, in one transaction.",
        "",
        "Each line is the topic's record as plain JSON, keyed by its subjectId (deviceId on "
            + "mdm.device-events.v1): times in ISO-8601 (2026-11-02T09:00:00Z), null or the value itself for "
            + "optional fields, enum names, bytes as base64; fields with a default may be left out. "
            + "--avro-json reads Avro's own JSON encoding instead (epoch milliseconds, union wrappers). On "
            + "authn.authenticator-events.v1 each line is {\"type\": \"AuthenticatorBound\", \"record\": {...}}. "
            + "Blank lines and lines starting with # are skipped. A malformed line is reported with its line "
            + "number and nothing is written (exit code 1)."})
public final class ProduceCommand implements Callable<Integer> {

  /** Exit code when the input has a malformed line. */
  public static final int MALFORMED_INPUT = 1;
  /** Exit code when Kafka refused or could not be reached. */
  public static final int KAFKA_FAILURE = 3;

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", converter = TopicOption.class,
      description = "A registry topic (dead-letter topics included).")
  TopicSpec<?> topic;

  @Option(names = "--file", paramLabel = "FILE", description = "JSON lines to read; standard input when absent or '-'.")
  Path file;

  @Option(names = "--avro-json", description = "Lines are in Avro's JSON encoding (epoch-millisecond times, "
      + "unions wrapped as {\"string\": \"x\"}) instead of plain JSON.")
  boolean avroJson;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (!RecordLines.isAvro(topic)) {
      err.println(topic.name() + " carries text written by the product itself, not an Avro contract: nothing to produce");
      err.flush();
      return MALFORMED_INPUT;
    }
    List<String> lines;
    try (Reader in = open()) {
      lines = new BufferedReader(in).lines().toList();
    }
    List<String> problems = new ArrayList<>();
    List<Publisher.Encoded> batch = encode(topic, lines, avroJson ? RecordLines.Form.AVRO_JSON : RecordLines.Form.PLAIN,
        problems);
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println("nothing written to " + topic.name() + ": " + problems.size() + " malformed line"
          + (problems.size() == 1 ? "" : "s"));
      err.flush();
      return MALFORMED_INPUT;
    }
    try {
      Publisher.publish(kafka.clientProperties(), batch);
    } catch (KafkaException e) {
      err.println("nothing written to " + topic.name() + " at " + kafka.bootstrap() + ": " + e.getMessage());
      err.flush();
      return KAFKA_FAILURE;
    }
    err.println("wrote " + batch.size() + " record" + (batch.size() == 1 ? "" : "s") + " to " + topic.name()
        + " in one transaction");
    err.flush();
    return 0;
  }

  /**
   * Parses, keys and encodes every line; problems get {@code <source>:<line>: <reason>} entries and
   * leave no record in the result.
   */
  public static List<Publisher.Encoded> encode(TopicSpec<?> topic, List<String> lines, List<String> problems) {
    return encode(topic, lines, RecordLines.Form.PLAIN, problems);
  }

  /** As {@link #encode(TopicSpec, List, List)}, for lines of the given form. */
  public static List<Publisher.Encoded> encode(TopicSpec<?> topic, List<String> lines, RecordLines.Form form,
      List<String> problems) {
    List<Publisher.Encoded> batch = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        SpecificRecord record = RecordLines.parse(topic, line, form);
        String key = RecordLines.key(topic, record);
        batch.add(new Publisher.Encoded(topic.name(),
            key == null ? null : key.getBytes(StandardCharsets.UTF_8), encodeValue(topic, record)));
      } catch (RecordLines.MalformedLine e) {
        problems.add("line " + (i + 1) + ": " + e.getMessage());
      } catch (RuntimeException e) {
        problems.add("line " + (i + 1) + ": cannot encode: " + e.getMessage());
      }
    }
    return batch;
  }

  @SuppressWarnings("unchecked")
  private static <V> byte[] encodeValue(TopicSpec<V> topic, SpecificRecord record) {
    return topic.valueSerde().serializer().serialize(topic.name(), (V) record);
  }

  private Reader open() throws IOException {
    if (file == null || file.toString().equals("-")) {
      return new InputStreamReader(System.in, StandardCharsets.UTF_8);
    }
    return Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }
}
