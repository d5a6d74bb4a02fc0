package io.authlifecycle.core.testing;

import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.StreamsProperties;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A worker's production topology in a {@link TopologyTestDriver}, fed with the production
 * config plus overrides; wall-clock time starts at {@link #START} and moves only when told.
 */
public final class TopologyHarness implements AutoCloseable {

  public static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

  private final WorkerContext context;
  private final TopologyTestDriver driver;
  private final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
  private final Map<String, TestOutputTopic<String, byte[]>> outputs = new HashMap<>();
  private long elapsedMillis;
  private boolean catalogChecked = true;
  private WriterKeyFile signingKey;

  public TopologyHarness(WorkerApp app, Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(overrides);
    try {
      Path dir = Files.createTempDirectory("ttd-" + app.name());
      all.putIfAbsent(CoreSettings.STATE_DIR.key(), dir.resolve("state").toString());
      // Production signs audit checkpoints, so every topology test does too, with a key of its own.
      if (!all.containsKey(CheckpointSettings.SIGNING_KEY.key())) {
        signingKey = WriterKeyFile.generate(app.name());
        signingKey.writeNew(dir.resolve(app.name() + ".key"));
        all.put(CheckpointSettings.SIGNING_KEY.key(), dir.resolve(app.name() + ".key").toString());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.context = WorkerContext.forTest(app.name(), app.settings(), all);
    Properties props = StreamsProperties.of(context, "localhost:0");
    this.driver = new TopologyTestDriver(app.buildTopology(context), props, START);
  }

  public TopologyHarness(WorkerApp app) {
    this(app, Map.of());
  }

  public WorkerContext context() {
    return context;
  }

  /** The key the worker signs its audit checkpoints with, unless the test named its own. */
  public WriterKeyFile signingKey() {
    return signingKey;
  }

  /** The driver's wall clock. */
  public Instant now() {
    return START.plusMillis(elapsedMillis);
  }

  /** Pipes one record encoded with the topic's serde; the record timestamp is the current wall clock. */
  public <V> void pipe(TopicSpec<V> topic, String key, V value) {
    pipeRaw(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
  }

  public void pipeRaw(String topic, String key, byte[] value) {
    inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new StringSerializer(), new ByteArraySerializer()))
        .pipeInput(key, value, now());
  }

  /** Moves wall-clock time (firing punctuators) by the given amount. */
  public void advance(Duration by) {
    elapsedMillis += by.toMillis();
    driver.advanceWallClockTime(by);
  }

  /** Moves wall-clock time in steps so that every tick in between fires. */
  public void advanceInSteps(Duration by, Duration step) {
    Duration left = by;
    while (left.compareTo(step) > 0) {
      advance(step);
      left = left.minus(step);
    }
    advance(left);
  }

  /** Drains and decodes what the topology wrote to a topic since the last read. */
  public <V> List<V> read(TopicSpec<V> topic) {
    return readKeyed(topic).stream().map(kv -> kv.value).toList();
  }

  public <V> List<KeyValue<String, V>> readKeyed(TopicSpec<V> topic) {
    return outputs.computeIfAbsent(topic.name(), t -> driver.createOutputTopic(t, new StringDeserializer(), new ByteArrayDeserializer()))
        .readKeyValuesToList().stream()
        .map(kv -> KeyValue.pair(kv.key, topic.valueSerde().deserializer().deserialize(topic.name(), kv.value)))
        .toList();
  }

  public <K, V> KeyValueStore<K, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** For test-only workers whose audit actions are not the product's. */
  public TopologyHarness withoutAuditCatalogCheck() {
    catalogChecked = false;
    return this;
  }

  /** Closes the driver, and fails the test if the topology wrote an audit action AuditCatalog does not list. */
  @Override
  public void close() {
    driver.close();
    if (!catalogChecked) {
      return;
    }
    List<String> uncatalogued = context.metrics().registry().find(WorkerMetrics.UNCATALOGUED).counters().stream()
        .map(c -> c.getId().getTag("action")).sorted().toList();
    if (!uncatalogued.isEmpty()) {
      throw new AssertionError(context.name() + " wrote audit actions missing from AuditCatalog: " + uncatalogued);
    }
  }
}
