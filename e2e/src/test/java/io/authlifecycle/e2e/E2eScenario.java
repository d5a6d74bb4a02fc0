package io.authlifecycle.e2e;

import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.ctl.LifecycleCtl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The base of every end-to-end scenario: a real broker ({@link E2eKafka}: in this JVM by default,
 * in a container with {@code -De2e.kafka=testcontainers}), workers started exactly as in
 * production, the operator CLI, and helpers to feed and read topics. Scenarios share the run's
 * broker, so each test works on its own subjects ({@link #subject}) and its workers get their own
 * application ids.
 */
@ExtendWith(E2eBroker.class)
public abstract class E2eScenario {

  protected static final Duration WAIT = Duration.ofSeconds(60);

  private E2eKafka kafka;

  private final List<RunningWorker> workers = new ArrayList<>();
  private String runId;

  @TempDir
  protected Path scratch;

  /** Scenario set-up that needs the broker belongs in a {@code @BeforeEach}, which runs after this. */
  @BeforeEach
  void connect(E2eKafka broker) {
    kafka = broker;
    runId = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(RunningWorker::close);
    workers.clear();
  }

  protected E2eKafka kafka() {
    return kafka;
  }

  protected String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** The bearer token every worker started here requires on /subjects. */
  protected static final String QUERY_TOKEN = "e2e-query-token-0123456789";

  /** A subject id no other test uses: {@code <name>-<this test's run id>}. */
  protected String subject(String name) {
    return name + "-" + runId;
  }

  /**
   * Starts a worker as {@code WorkerRunner.main} would, on this run's broker, with its own state
   * folder, a free HTTP port and an application id of this test; waits until it is RUNNING.
   */
  protected RunningWorker startWorker(WorkerApp app, Map<String, String> overrides) throws InterruptedException {
    Path key = scratch.resolve("keys").resolve(app.name() + ".key");
    try {
      if (!java.nio.file.Files.exists(key)) {
        WriterKeyFile.generate(app.name()).writeNew(key);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, String> all = new HashMap<>(Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers(),
        CoreSettings.STATE_DIR.key(), scratch.resolve("state").resolve(app.name()).toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.HTTP_QUERY_TOKEN.key(), QUERY_TOKEN,
        CheckpointSettings.SIGNING_KEY.key(), key.toString(),
        CoreSettings.APPLICATION_ID_PREFIX.key(), "e2e-" + runId));
    all.putAll(overrides);
    Settings settings = WorkerRunner.settings(app, Optional.empty(), all);
    RunningWorker worker = WorkerRunner.start(app, settings);
    workers.add(worker);
    if (!worker.awaitRunning(WAIT)) {
      throw new IllegalStateException(app.name() + " did not reach RUNNING on " + kafka.describe()
          + " within " + WAIT.toSeconds() + "s (state " + worker.state() + ")");
    }
    return worker;
  }

  protected RunningWorker startWorker(WorkerApp app) throws InterruptedException {
    return startWorker(app, Map.of());
  }

  /** Sends records through the topic's serde, keyed as given, and waits for the acks. */
  protected <V> void produce(TopicSpec<V> topic, String key, V value) {
    produceRaw(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
  }

  /** Sends raw bytes (garbage, hand-made encodings). */
  protected void produceRaw(String topic, String key, byte[] value) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
      producer.flush();
    }
  }

  /**
   * Reads the topic's committed records from the beginning, keeps those {@code keep} accepts, and
   * returns once {@code done} holds for them or the wait is over.
   */
  protected <V> List<V> awaitCommitted(TopicSpec<V> topic, Predicate<V> keep, Predicate<List<V>> done) {
    return awaitCommitted(List.of(topic), keep, done);
  }

  /** The same over several topics of one record type (e.g. every issuer's command topic). */
  protected <V> List<V> awaitCommitted(List<TopicSpec<V>> topics, Predicate<V> keep, Predicate<List<V>> done) {
    TopicSpec<V> topic = topics.get(0);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<V> kept = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(topics.stream().map(TopicSpec::name).toList());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline && !done.test(kept)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          V value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
          if (keep.test(value)) {
            kept.add(value);
          }
        }
      }
    }
    return kept;
  }

  /** Runs {@code lifecyclectl} in this JVM against this run's broker. */
  protected Cli cli(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--bootstrap";
    all[args.length + 1] = bootstrapServers();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = LifecycleCtl.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int code = command.execute(all);
    return new Cli(code, out.toString(), err.toString());
  }

  /** Writes JSON lines to a file in this test's scratch folder, for {@code lifecyclectl produce --file}. */
  protected Path jsonLines(String name, List<String> lines) {
    try {
      return Files.write(scratch.resolve(name), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a CLI run printed. */
  public record Cli(int exitCode, String out, String err) {
    public List<String> lines() {
      return out.lines().filter(l -> !l.isBlank()).toList();
    }
  }
}
