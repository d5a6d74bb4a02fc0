package io.authlifecycle.ctl;

import io.authlifecycle.core.topics.TopicSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code consume --topic T}: prints committed records as JSON lines, in the form {@code produce}
 * reads. Reads every partition without a consumer group, so it never moves anyone's offsets.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = {
        "Prints a topic's committed records as JSON lines.",
        "",
        "Reads read_committed, one line per record, in the form produce reads: plain JSON with ISO-8601 "
            + "times, or Avro's JSON encoding with --avro-json. Dead-letter topics show "
            + "the DeadLetter with the original key and value as base64 and the reason in errorKind / error. "
            + "Records that cannot be decoded are reported on standard error with their partition and offset. "
            + "Text topics (audit.ocsf.v1) print as they are."})
public final class ConsumeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", converter = TopicOption.class,
      description = "A registry topic (dead-letter topics included).")
  TopicSpec<?> topic;

  @Option(names = "--from-beginning", description = "Start at the earliest record instead of the end.")
  boolean fromBeginning;

  @Option(names = "--avro-json", description = "Print Avro's JSON encoding (epoch-millisecond times, unions "
      + "wrapped as {\"string\": \"x\"}) instead of plain JSON.")
  boolean avroJson;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Integer max;

  @Option(names = "--timeout-ms", paramLabel = "MS",
      description = "Stop when no record arrived for MS milliseconds (default: wait until interrupted).")
  Long timeoutMs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    int read = 0;
    int undecodable = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(20));
      if (partitions == null || partitions.isEmpty()) {
        err.println(topic.name() + " does not exist at " + kafka.bootstrap());
        err.flush();
        return 1;
      }
      List<TopicPartition> assigned = partitions.stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(assigned);
      if (fromBeginning) {
        consumer.seekToBeginning(assigned);
      } else {
        consumer.seekToEnd(assigned);
      }
      long idleSince = System.nanoTime();
      while (max == null || read < max) {
        if (timeoutMs != null && System.nanoTime() - idleSince > Duration.ofMillis(timeoutMs).toNanos()) {
          break;
        }
        boolean any = false;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          any = true;
          if (!print(record, out, err)) {
            undecodable++;
          }
          read++;
          if (max != null && read >= max) {
            break;
          }
        }
        out.flush();
        if (any) {
          idleSince = System.nanoTime();
        }
      }
    }
    out.flush();
    err.println(read + " record" + (read == 1 ? "" : "s") + " from " + topic.name()
        + (undecodable > 0 ? " (" + undecodable + " could not be printed)" : ""));
    err.flush();
    return 0;
  }

  /** Prints one record; false if it could not be decoded (reported on standard error). */
  private boolean print(ConsumerRecord<String, byte[]> record, PrintWriter out, PrintWriter err) {
    if (record.value() == null) {
      err.println("partition " + record.partition() + " offset " + record.offset() + ": tombstone (null value)");
      return false;
    }
    if (!RecordLines.isAvro(topic)) {
      out.println(new String(record.value(), StandardCharsets.UTF_8));
      return true;
    }
    try {
      SpecificRecord value = (SpecificRecord) topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
      out.println(RecordLines.format(topic, value, avroJson ? RecordLines.Form.AVRO_JSON : RecordLines.Form.PLAIN));
      return true;
    } catch (RuntimeException e) {
      err.println("partition " + record.partition() + " offset " + record.offset() + ": cannot decode: " + e.getMessage());
      return false;
    }
  }
}
