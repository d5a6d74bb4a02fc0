package io.authlifecycle.e2e.faults;

import io.authlifecycle.core.runtime.CoHostedWorkers;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.bench.GroupProgress;
import io.authlifecycle.e2e.bench.Mix;
import io.authlifecycle.e2e.bench.Mix.EventKind;
import io.authlifecycle.e2e.bench.Population;
import io.authlifecycle.e2e.bench.WorkerInputs;
import io.authlifecycle.e2e.bench.WorkerStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What every fault test shares: the workers on the class path started in their own JVMs (so a
 * crash is a real SIGKILL), a population every worker holds state for, a mixed load sent at a
 * steady pace with a fault injected half-way, and the wait until every worker has consumed it.
 *
 * <p>Sizes scale with system properties, so the full sizes run on demand:
 * {@code -Dfaults.events=50000} (default 10,000 mixed events), {@code -Dfaults.subjects} (default
 * 500, raised so that every leaver is a different subject), {@code -Dfaults.rate} (events/s sent,
 * default 1,000).
 */
final class FaultRig implements AutoCloseable {

  static final int EVENTS = Integer.getInteger("faults.events", 10_000);
  static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "1000"));
  /** Used facts the bulk, as in production; every other kind often enough to be checked by the hundred. */
  static final Mix MIX = Mix.parse("used=84,joiner=3,mover=3,leaver=4,device=4,recovery=2");
  static final Duration START = Duration.ofMinutes(3);
  static final Duration DRAIN = Duration.ofMinutes(4);

  final String run = UUID.randomUUID().toString().substring(0, 6);
  final String prefix = "faults-" + run;
  final Path dir;
  final String bootstrap;
  final WorkerInputs inputs = WorkerInputs.discover();
  final List<String> workers = inputs.workers();
  final Population population;
  /** Mixed events this run sends, and how many per second. */
  final int events;
  final double rate;
  private final List<WorkerStack> stacks = new ArrayList<>();

  /** Whether the workers run co-hosted, as one Streams application ({@code LocalStack --co-host}). */
  final boolean coHost;

  FaultRig(Path dir, String bootstrap) {
    this(dir, bootstrap, EVENTS, RATE, false);
  }

  FaultRig(Path dir, String bootstrap, boolean coHost) {
    this(dir, bootstrap, EVENTS, RATE, coHost);
  }

  FaultRig(Path dir, String bootstrap, int events, double rate) {
    this(dir, bootstrap, events, rate, false);
  }

  FaultRig(Path dir, String bootstrap, int events, double rate, boolean coHost) {
    this.dir = dir;
    this.bootstrap = bootstrap;
    this.events = events;
    this.rate = rate;
    this.coHost = coHost;
    int leavers = (int) Math.ceil(events * MIX.share(EventKind.LEAVER) * 1.5);
    this.population = new Population(run, Math.max(Integer.getInteger("faults.subjects", 500), leavers));
  }

  /**
   * The settings of this run's workers: their own application ids, a leaver confirmation deadline
   * beyond the test (no IdP confirms here, so no re-issue is expected), and a session timeout short
   * enough that a killed member's partitions move within seconds.
   */
  Map<String, String> settings(Map<String, String> extra) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("application.id.prefix", prefix);
    s.put("commit.interval", "100ms");
    s.put("leaver.confirmation-deadline", "6h");
    s.put("kafka.consumer.session.timeout.ms", "10000");
    s.put("kafka.consumer.heartbeat.interval.ms", "2000");
    s.putAll(Population.personKeys());
    s.putAll(extra);
    return s;
  }

  /** Starts every worker in a new JVM (its state under {@code dir/<name>}) and waits until each is RUNNING. */
  WorkerStack startStack(String name, List<String> components, Map<String, String> extra) throws Exception {
    WorkerStack stack = WorkerStack.start(name, dir, bootstrap, components, settings(extra),
        List.of("-Xmx512m", "-XX:+UseSerialGC"), START, coHost);
    stacks.add(stack);
    if (!stack.awaitAllRunning(START)) {
      throw new AssertionError(name + " did not come up: " + stack.states() + "\n" + stack.jvm().tail(30));
    }
    return stack;
  }

  WorkerStack startStack(String name, Map<String, String> extra) throws Exception {
    return startStack(name, workers, extra);
  }

  /** The consumer groups of this run's workers, on the topics each reads. */
  GroupProgress progress(List<String> components) throws ExecutionException, InterruptedException {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (String c : components) {
      String group = prefix + "-" + (coHost && !c.equals("idp-gateway") ? CoHostedWorkers.DEFAULT_NAME : c);
      groups.computeIfAbsent(group, g -> new TreeSet<>()).addAll(c.equals("idp-gateway")
          ? Topics.COMMANDS_ALL.stream().map(TopicSpec::name).collect(Collectors.toSet()) : inputs.inputsOf(c));
    }
    return new GroupProgress(bootstrap, groups);
  }

  /** Every subject's verified JOINER, then its two or three factors, each step consumed by every worker. */
  void loadPopulation() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(); GroupProgress groups = progress(workers)) {
      for (int i = 0; i < population.size(); i++) {
        producer.send(population.joiner(i, Instant.now()).record(System.currentTimeMillis()));
      }
      producer.flush();
      awaitCaughtUp(groups, "joiners");
      for (int i = 0; i < population.size(); i++) {
        for (Population.Event e : population.bindings(i, Instant.now())) {
          producer.send(e.record(System.currentTimeMillis()));
        }
      }
      producer.flush();
      awaitCaughtUp(groups, "bindings");
    }
  }

  /**
   * Sends {@link #events} mixed events at {@link #rate} per second; when half are sent, {@code fault}
   * starts on its own thread while sending goes on. Returns what was sent once the fault has finished.
   */
  Sent sendWithFaultHalfway(Fault fault) throws Exception {
    return sendWithFault(fault, 0.5);
  }

  /** As {@link #sendWithFaultHalfway}, the fault starting when {@code at} (0 to 1) of the events are sent. */
  Sent sendWithFault(Fault fault, double at) throws Exception {
    Sent sent = new Sent();
    Random random = new Random(7);
    AtomicReference<Throwable> faultFailure = new AtomicReference<>();
    Thread faultThread = null;
    AtomicLong errors = new AtomicLong();
    long sendStart = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      long start = System.nanoTime();
      int faultAt = (int) (events * at);
      for (int n = 0; n < events; n++) {
        long due = start + (long) (n * 1e9 / rate);
        long now = System.nanoTime();
        if (now < due) {
          LockSupport.parkNanos(due - now);
        }
        if (n == faultAt) {
          sent.faultAtEvent = n;
          faultThread = new Thread(() -> {
            try {
              fault.inject();
            } catch (Throwable t) {
              faultFailure.set(t);
            }
          }, "fault");
          faultThread.start();
        }
        EventKind kind = MIX.pick(random.nextDouble());
        Population.Event event = population.next(kind, n, Instant.now(), random);
        producer.send(event.record(System.currentTimeMillis()), (m, e) -> {
          if (e != null) {
            errors.incrementAndGet();
          }
        });
        sent.add(event);
      }
      producer.flush();
    }
    if (faultThread != null) {
      faultThread.join(START.plus(DRAIN).toMillis());
    }
    sent.sendingSeconds = (System.nanoTime() - sendStart) / 1e9;
    if (faultFailure.get() != null) {
      throw new AssertionError("the fault could not be injected", faultFailure.get());
    }
    if (errors.get() > 0) {
      throw new AssertionError(errors.get() + " events could not be sent");
    }
    return sent;
  }

  /**
   * Waits until every group has committed past the current end of its inputs, repartition topics
   * included. Records a group writes into its own repartition topic while catching up move that
   * topic's end, so it waits again until a pass finds the repartition ends where they were. (Only
   * there: a plain consumer such as the gateway commits the offset after its last record, never
   * past a trailing transaction marker, so later ends of other topics would never be reached.)
   */
  void awaitCaughtUp(GroupProgress groups, String what) throws ExecutionException, InterruptedException {
    Map<TopicPartition, Long> targets = groups.endOffsets();
    while (true) {
      if (groups.awaitCaughtUp(targets, DRAIN, Duration.ofMillis(250), what) < 0) {
        throw new AssertionError("the workers did not consume the " + what + " within " + DRAIN + ": behind "
            + groups.behind(targets));
      }
      Map<TopicPartition, Long> next = new java.util.HashMap<>(targets);
      groups.endOffsets().forEach((partition, end) -> {
        if (partition.topic().endsWith("-repartition")) {
          next.put(partition, end);
        }
      });
      if (next.equals(targets)) {
        return;
      }
      targets = next;
    }
  }

  /** A producer that rides out a broker outage: it retries for minutes rather than failing a send. */
  KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Each worker's state, from every stack still alive. */
  Map<String, String> states(WorkerStack stack) {
    return stack.states();
  }

  @Override
  public void close() {
    for (int i = stacks.size() - 1; i >= 0; i--) {
      stacks.get(i).close();
    }
  }

  /** A fault injected while the load is being sent. */
  @FunctionalInterface
  interface Fault {
    void inject() throws Exception;
  }

  /** The events of one run, by kind. */
  static final class Sent {
    final List<Population.Event> events = new ArrayList<>();
    final Map<EventKind, Integer> byKind = new LinkedHashMap<>();
    int faultAtEvent = -1;
    double sendingSeconds;

    void add(Population.Event event) {
      events.add(event);
      byKind.merge(event.kind(), 1, Integer::sum);
    }

    List<Population.Event> of(EventKind kind) {
      return events.stream().filter(e -> e.kind() == kind).toList();
    }
  }
}
