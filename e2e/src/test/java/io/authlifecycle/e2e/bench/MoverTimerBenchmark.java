package io.authlifecycle.e2e.bench;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.runtime.StreamsProperties;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.mover.MoverWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale benchmark of the mover's registry and timer index (not a timed test; tagged
 * {@code benchmark}, which the normal suite excludes). Loads N subjects x F factors with expiry
 * timers spread over the next year, then renews a sample so their expiry falls inside a short
 * window, and measures timer-firing lag: from each factor's due time to the moment a
 * read-committed consumer sees its EXPIRE_AUTHENTICATOR command. Then wipes the local state and
 * measures how long the registry and timer stores take to restore from their changelogs.
 *
 * <pre>
 * mvn -B -pl e2e -am test -Dtest=MoverTimerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsurefire.excludedGroups=none -Dtest.heap=4g \
 *     -Dbench.subjects=1000000 -Dbench.factors=3 -Dbench.due=10000 -Dbench.window=60s
 * </pre>
 * Other knobs: {@code bench.partitions} (3), {@code bench.threads} (stream threads, 1),
 * {@code bench.lead} (time between renewing and the first due, 20s), {@code bench.tick} (timer tick, 1s), {@code bench.near-tick} (near tick, 100ms; 1s turns it off).
 * The report is printed and written to {@code e2e/target/bench/mover-timers.txt}.
 */
@Tag("benchmark")
class MoverTimerBenchmark {

  private static final List<FactorType> TYPES = List.of(FactorType.HARDWARE_PASSKEY, FactorType.OTP_APP,
      FactorType.SYNCED_PASSKEY);

  private final int subjects = Integer.getInteger("bench.subjects", 1_000_000);
  private final int factors = Integer.getInteger("bench.factors", 3);
  private final int due = Integer.getInteger("bench.due", 10_000);
  private final Duration window = Duration.parse("PT" + System.getProperty("bench.window", "60s").toUpperCase());
  private final Duration lead = Duration.parse("PT" + System.getProperty("bench.lead", "20s").toUpperCase());
  private final int partitions = Integer.getInteger("bench.partitions", 3);
  private final int threads = Integer.getInteger("bench.threads", 1);
  private final String tick = System.getProperty("bench.tick", "1s");
  private final String nearTick = System.getProperty("bench.near-tick", "100ms");
  private final List<String> report = new ArrayList<>();

  @Test
  void timerFiringLagAndRegistryRestore() throws Exception {
    line("mover timer benchmark: %,d subjects x %d factors, %,d renewed to come due over %s, %d partitions, %d stream thread(s), tick %s, near tick %s, %d cores, max heap %d MB",
        subjects, factors, due, window, partitions, threads, tick, nearTick, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    Path state = Files.createTempDirectory("mover-bench-state");
    try (KafkaTestCluster kafka = KafkaTestCluster.start(partitions, Map.of())) {
      MoverWorker app = new MoverWorker();
      Settings settings = WorkerRunner.settings(app, Optional.empty(), Map.of(
          CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
          CoreSettings.STATE_DIR.key(), state.toString(),
          CoreSettings.STREAM_THREADS.key(), String.valueOf(threads),
          CoreSettings.TIMER_TICK.key(), tick,
          CoreSettings.TIMER_NEAR_TICK.key(), nearTick,
          CoreSettings.HTTP_PORT.key(), "0"));
      WorkerContext context = new WorkerContext(app.name(), settings, AssurancePolicy.from(settings),
          WorkerMetrics.inMemory(app.name()));

      long produceStart = System.nanoTime();
      Instant loadTime = Instant.now();
      long records = produceLoad(kafka, loadTime);
      line("produced %,d AuthenticatorBound facts in %.1f s", records, seconds(produceStart));

      Restores restores = new Restores();
      KafkaStreams streams = start(app, context, restores);
      long loadStart = System.nanoTime();
      awaitConsumed(kafka, context.applicationId(), Duration.ofHours(3));
      double loadSeconds = seconds(loadStart);
      line("registry loaded: %,d facts processed in %.1f s (%,.0f facts/s, exactly_once_v2)", records, loadSeconds,
          records / loadSeconds);

      measureLag(kafka);

      close(streams);
      Path dir = state.resolve(context.applicationId());
      line("local state after load: %,d MB", size(state) >> 20);
      deleteRecursively(dir);
      Restores fromChangelog = new Restores();
      long restartStart = System.nanoTime();
      streams = start(app, context, fromChangelog);
      fromChangelog.awaitStores(restoredStores(app, context) * partitions, Duration.ofHours(2));
      line("restore after restart with the local state wiped: %.1f s to restore %,d changelog records into %d store partitions (registry + timer index)",
          seconds(restartStart), fromChangelog.restored.get(), fromChangelog.ended.size());
      line("  of which: start and join the group %.1f s, restore (first store opened to last one restored) %.1f s, %,.0f records/s",
          (fromChangelog.firstStart - restartStart) / 1e9, (fromChangelog.lastEnd - fromChangelog.firstStart) / 1e9,
          fromChangelog.restored.get() / ((fromChangelog.lastEnd - fromChangelog.firstStart) / 1e9));
      fromChangelog.byStore().forEach((store, n) -> line("  %s: %,d records", store, n));
      close(streams);
    } finally {
      deleteRecursively(state);
      Path out = Path.of("target", "bench", "mover-timers.txt");
      Files.createDirectories(out.getParent());
      Files.write(out, report, StandardCharsets.UTF_8);
    }
  }

  private long produceLoad(KafkaTestCluster kafka, Instant now) {
    long sent = 0;
    java.util.Random random = new java.util.Random(42);
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      Serializer<Object> serializer = castSerializer();
      for (int s = 0; s < subjects; s++) {
        String subject = subjectId(s);
        for (int f = 0; f < factors; f++) {
          // Expiry spread over 30 to 395 days ahead: pending timers that cost nothing until due.
          Instant expiresAt = now.plus(Duration.ofDays(30)).plusSeconds(random.nextInt(365 * 86_400));
          AuthenticatorBound fact = bound(subject, f, expiresAt, now, "load");
          producer.send(new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), bytes(subject),
              serializer.serialize(Topics.AUTHENTICATOR_EVENTS.name(), fact)));
          sent++;
        }
      }
      producer.flush();
    }
    return sent;
  }

  /** Renews one factor of {@code due} subjects so they expire across the window, and times each EXPIRE command. */
  private void measureLag(KafkaTestCluster kafka) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-lag-" + System.nanoTime());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Long> lags = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(Topics.COMMANDS_MOVER.name(), p));
      }
      consumer.assign(tps);
      consumer.seekToEnd(tps);
      tps.forEach(consumer::position);

      Instant first = Instant.now().plus(lead);
      Set<String> expected = ConcurrentHashMap.newKeySet();
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        Serializer<Object> serializer = castSerializer();
        int stride = Math.max(1, subjects / due);
        for (int i = 0; i < due; i++) {
          String subject = subjectId((i * stride) % subjects);
          Instant expiresAt = first.plusMillis(window.toMillis() * i / due);
          AuthenticatorBound renewal = bound(subject, 0, expiresAt, Instant.now(), "renew");
          expected.add(renewal.getAuthenticatorId());
          producer.send(new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), bytes(subject),
              serializer.serialize(Topics.AUTHENTICATOR_EVENTS.name(), renewal)));
        }
        producer.flush();
      }
      line("renewed %,d factors to expire between %s and %s", due, first, first.plus(window));
      long deadline = System.nanoTime() + window.plus(lead).plus(Duration.ofMinutes(5)).toNanos();
      while (!expected.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          long seen = System.currentTimeMillis();
          AuthenticatorCommand command = Topics.COMMANDS_MOVER.valueSerde().deserializer().deserialize(r.topic(), r.value());
          if (command.getAction() == CommandAction.EXPIRE_AUTHENTICATOR && expected.remove(command.getAuthenticatorId())) {
            lags.add(seen - command.getCausationTime().toEpochMilli());
          }
        }
      }
    }
    Collections.sort(lags);
    line("timer-firing lag, due time -> EXPIRE_AUTHENTICATOR visible to a read-committed consumer, %,d of %,d fired:",
        lags.size(), due);
    if (!lags.isEmpty()) {
      line("  p50 %,d ms, p90 %,d ms, p99 %,d ms, max %,d ms, min %,d ms",
          pct(lags, 50), pct(lags, 90), pct(lags, 99), lags.get(lags.size() - 1), lags.get(0));
    }
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /**
   * Stops the way a worker stops cleanly ({@code RunningWorker#close}): leaving the group, so the
   * next start is assigned its tasks at once instead of after the departed member's session timeout.
   */
  private static void close(KafkaStreams streams) {
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofMinutes(2)));
  }

  /** The registry and timer-index stores of the mover's topology: what the restore waits for, per partition. */
  private static int restoredStores(MoverWorker app, WorkerContext context) {
    return (int) app.buildTopology(context).describe().subtopologies().stream()
        .flatMap(s -> s.nodes().stream())
        .filter(n -> n instanceof org.apache.kafka.streams.TopologyDescription.Processor)
        .flatMap(n -> ((org.apache.kafka.streams.TopologyDescription.Processor) n).stores().stream())
        .filter(store -> store.endsWith("-registry") || store.contains("-timers-"))
        .distinct().count();
  }

  private KafkaStreams start(MoverWorker app, WorkerContext context, Restores restores) {
    KafkaStreams streams = new KafkaStreams(app.buildTopology(context), StreamsProperties.of(context, "127.0.0.1:0"));
    streams.setGlobalStateRestoreListener(restores);
    streams.start();
    return streams;
  }

  /** Waits until the worker's committed offsets on the facts topic reach its end offsets. */
  private void awaitConsumed(KafkaTestCluster kafka, String group, Duration timeout) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(Topics.AUTHENTICATOR_EVENTS.name(), p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      long deadline = System.nanoTime() + timeout.toNanos();
      long lastReport = System.nanoTime();
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get();
        long behind = ends.entrySet().stream().mapToLong(e -> {
          OffsetAndMetadata c = committed.get(e.getKey());
          return e.getValue() - (c == null ? 0 : c.offset());
        }).sum();
        if (behind <= 0) {
          return;
        }
        if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
          System.out.printf("  ... %,d facts still to process%n", behind);
          lastReport = System.nanoTime();
        }
        Thread.sleep(500);
      }
      throw new AssertionError("the worker did not consume the load within " + timeout);
    }
  }

  private static AuthenticatorBound bound(String subject, int factor, Instant expiresAt, Instant at, String prefix) {
    String authId = subject + "-f" + factor;
    return AuthenticatorBound.newBuilder().setEventId(prefix + "-" + authId + "-" + expiresAt.toEpochMilli())
        .setEventTime(at).setSubjectId(subject).setAuthenticatorId(authId)
        .setFactorType(TYPES.get(factor % TYPES.size())).setDeviceId(subject + "-d" + factor)
        .setExpiresAt(expiresAt).build();
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaTestCluster kafka) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @SuppressWarnings("unchecked")
  private static Serializer<Object> castSerializer() {
    return (Serializer<Object>) (Serializer<?>) Topics.AUTHENTICATOR_EVENTS.valueSerde().serializer();
  }

  private static String subjectId(int i) {
    return String.format("s-%07d", i);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void line(String format, Object... args) {
    String text = String.format(format, args);
    System.out.println(text);
    report.add(text);
  }

  private static long size(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Counts restored records and finished store partitions of the registry and the timer index. */
  private static final class Restores implements StateRestoreListener {
    final AtomicLong restored = new AtomicLong();
    final Set<String> ended = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicLong> perStore = new ConcurrentHashMap<>();

    volatile long firstStart;
    volatile long lastEnd;

    @Override
    public synchronized void onRestoreStart(TopicPartition partition, String store, long start, long end) {
      if (firstStart == 0) {
        firstStart = System.nanoTime();
      }
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long count) {
      restored.addAndGet(count);
      perStore.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(count);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long total) {
      if (store.endsWith("-registry") || store.contains("-timers-")) {
        lastEnd = System.nanoTime();
        ended.add(partition.toString());
      }
    }

    void awaitStores(int storePartitions, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (ended.size() < storePartitions && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }

    Map<String, Long> byStore() {
      Map<String, Long> out = new java.util.TreeMap<>();
      perStore.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }
}
