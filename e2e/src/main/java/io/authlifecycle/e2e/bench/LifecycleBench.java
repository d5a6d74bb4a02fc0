package io.authlifecycle.e2e.bench;

import io.authlifecycle.core.runtime.CoHostedWorkers;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.deploy.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lifecycle-bench}: the load benchmark. A single-node broker (a child JVM), every
 * worker in a JVM of its own under exactly_once_v2, a population of subjects loaded and consumed,
 * then an open-loop mix at a fixed rate, measured with a read-committed consumer on the same clock;
 * and, in the same run, the same record sizes at the same rate through a plain transactional
 * consumer-to-producer pipe as the baseline. Prints one table and writes a JSON report.
 */
@Command(name = "lifecycle-bench", mixinStandardHelpOptions = true, version = "lifecycle-bench 0.1.0", sortOptions = false,
    description = {
        "Measures the workers under an open-loop load against a plain exactly-once Kafka pipe on the same broker.",
        "",
        "Starts a single-node KRaft broker (child JVM), runs the baseline pipe (child JVM), then every worker on the "
            + "class path (one child JVM, exactly_once_v2), loads the population, drives the mix at a fixed rate and "
            + "reports throughput, lag, latency percentiles, CPU, heap and state size."})
public final class LifecycleBench implements Callable<Integer> {

  @Option(names = "--rate", defaultValue = "5000", paramLabel = "EVENTS/S", description = "Offered load (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Measured part of the open loop (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Open loop before the measured part, at the same rate (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--mix", defaultValue = Mix.DEFAULT, paramLabel = "KIND=W,...",
      description = "Relative weights of used, joiner, mover, leaver, device, recovery (default: ${DEFAULT-VALUE}).")
  String mix;

  @Option(names = "--subjects", defaultValue = "100000", paramLabel = "N", description = "Population loaded before the run (default: ${DEFAULT-VALUE}).")
  int subjects;

  @Option(names = "--partitions", defaultValue = "3", paramLabel = "N", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--commit-interval", defaultValue = "100ms", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Transaction commit interval of the workers and the baseline (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Option(names = "--stream-threads", defaultValue = "1", paramLabel = "N", description = "Stream threads per worker (default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(names = "--only", split = ",", paramLabel = "WORKER", description = "Run only these workers (default: every worker on the class path).")
  List<String> only = List.of();

  @Option(names = "-X", paramLabel = "KEY=VALUE", description = "A worker setting, as in a worker's properties file (repeatable), e.g. -X kafka.producer.linger.ms=10.")
  Map<String, String> workerSettings = new LinkedHashMap<>();

  @Option(names = "--worker-heap", defaultValue = "1g", paramLabel = "SIZE", description = "Max heap of the worker JVM and of the baseline pipe (default: ${DEFAULT-VALUE}).")
  String workerHeap;

  @Option(names = "--broker-heap", defaultValue = "1g", paramLabel = "SIZE", description = "Max heap of the broker (default: ${DEFAULT-VALUE}).")
  String brokerHeap;

  @Option(names = "--co-host", description = "Run the workers co-hosted: one Kafka Streams application (lifecycle-deciders) "
      + "with every worker as a sub-topology; set --stream-threads to use more than one core.")
  boolean coHost;

  @Option(names = "--uses-on-facts-topic", description = "Send factor use on the facts topic, as before the usage topic "
      + "existed (every decider then fetches it; those that do not decide on it skip it on its header).")
  boolean usesOnFactsTopic;

  @Option(names = "--no-baseline", description = "Skip the baseline pipe.")
  boolean noBaseline;

  @Option(names = "--jfr", description = "Record the worker JVM with JDK Flight Recorder over the measured window and print where the CPU went.")
  boolean jfr;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Use this cluster instead of starting a broker (its CPU is then not measured).")
  String bootstrap;

  @Option(names = "--drain-timeout", defaultValue = "5m", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to wait after the schedule for the consumers to catch up (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the event mix (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dir", defaultValue = "${env:LIFECYCLE_BENCH_DIR:-target/bench}", paramLabel = "DIR",
      description = "Where the run folder and the JSON report go (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--keep-data", description = "Keep the broker data and worker state after the run (deleted by default).")
  boolean keepData;

  static final String BASELINE_IN = "bench.baseline-in.v1";
  static final String BASELINE_OUT = "bench.baseline-out.v1";

  @Override
  public Integer call() throws Exception {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String run = Long.toString(System.currentTimeMillis() % 1_679_616, 36);
    Path runDir = dir.resolve("run-" + stamp).toAbsolutePath();
    Files.createDirectories(runDir);
    Mix theMix = Mix.parse(mix);
    BenchReport report = new BenchReport(this, stamp, theMix);
    report.machine(ProcStats.loadAverage());
    System.out.println("lifecycle-bench " + stamp + ": " + Runtime.getRuntime().availableProcessors()
        + " cores, load average " + ProcStats.loadAverage() + "; run folder " + runDir);

    WorkerInputs inputs = WorkerInputs.discover();
    List<String> workers = inputs.workers().stream().filter(w -> only.isEmpty() || only.contains(w)).toList();
    System.out.println("workers: " + workers + " reading " + inputs);

    KafkaBroker broker = null;
    String servers = bootstrap;
    try {
      if (servers == null) {
        System.setProperty("lifecycle.broker.heap", "-Xmx" + brokerHeap);
        broker = KafkaBroker.start(runDir.resolve("kafka"), freePort(), freePort(), Duration.ofMinutes(3));
        servers = broker.bootstrapServers();
        System.out.println("broker at " + servers + " (pid " + broker.pid() + ")");
      }
      createTopics(servers);
      Map<String, Long> brokerPid = broker == null ? Map.of() : Map.of("broker", broker.pid());

      if (!noBaseline) {
        report.baseline(runBaseline(servers, runDir, run, theMix, brokerPid));
        report.machine(ProcStats.loadAverage());
      }
      runWorkers(servers, runDir, run, stamp, theMix, workers, inputs, brokerPid, report);
      report.machine(ProcStats.loadAverage());
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (!keepData) {
        deleteRecursively(runDir.resolve("kafka").resolve("data"));
        deleteRecursively(runDir.resolve("workers").resolve("state"));
      }
    }
    report.print(System.out);
    Path json = dir.resolve(stamp + ".json").toAbsolutePath();
    Files.writeString(json, Json.write(report.json()), StandardCharsets.UTF_8);
    System.out.println("JSON report: " + json);
    System.out.println(report.resultLine());
    return 0;
  }

  private Phase.Measured runBaseline(String servers, Path runDir, String run, Mix theMix, Map<String, Long> brokerPid)
      throws Exception {
    String group = "bench-baseline-" + run;
    // The pipe logs like the driver, to its own file: Kafka's client logs at DEBUG on the console would cost both JVMs CPU.
    List<String> pipeOptions = new ArrayList<>(jvmOptions());
    pipeOptions.add("-Dlogback.configurationFile=lifecycle-bench-logback.xml");
    pipeOptions.add("-Dlifecycle.log.dir=" + runDir.resolve("baseline-pipe-logs"));
    try (ChildJvm pipe = ChildJvm.start("baseline-pipe", runDir, pipeOptions, BaselinePipe.class.getName(),
            List.of(servers, BASELINE_IN, BASELINE_OUT, group, String.valueOf(commitInterval.toMillis())));
        GroupProgress groups = new GroupProgress(servers, Map.of(group, Set.of(BASELINE_IN)));
        CommitProbe probe = CommitProbe.start(servers, List.of(BASELINE_OUT), "none")) {
      pipe.awaitLine(l -> l.startsWith("baseline pipe running"), Duration.ofMinutes(2));
      Phase.Target target = new Phase.Target("baseline pipe", pipe, Map.of(), groups, probe,
          s -> {
            ProducerRecord<byte[], byte[]> r = s.event().record(s.scheduledMillis());
            return new ProducerRecord<>(BASELINE_IN, null, r.timestamp(), r.key(), r.value());
          }, brokerPid, null);
      Phase.Result result = Phase.run(target, rate, warmup, duration, theMix, population(run), seed,
          drainTimeout, servers);
      return new Phase.Measured(result, probe);
    }
  }

  private void runWorkers(String servers, Path runDir, String run, String stamp, Mix theMix, List<String> workers,
      WorkerInputs inputs, Map<String, Long> brokerPid, BenchReport report) throws Exception {
    String prefix = "bench-" + stamp;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("application.id.prefix", prefix);
    settings.put("commit.interval", commitInterval.toMillis() + "ms");
    settings.put("num.stream.threads", String.valueOf(streamThreads));
    // No IdP confirms the revocations here: keep the confirmation deadline beyond the run, so no re-issue is counted.
    settings.put("leaver.confirmation-deadline", "6h");
    settings.putAll(Population.personKeys());
    settings.putAll(workerSettings);
    report.workerSettings(settings);
    Map<String, Set<String>> groupInputs = new LinkedHashMap<>();
    if (coHost) {
      Set<String> all = new java.util.TreeSet<>();
      workers.forEach(w -> all.addAll(inputs.inputsOf(w)));
      groupInputs.put(prefix + "-" + CoHostedWorkers.DEFAULT_NAME, all);
    } else {
      workers.forEach(w -> groupInputs.put(prefix + "-" + w, inputs.inputsOf(w)));
    }
    Path jfrFile = jfr ? runDir.resolve("workers.jfr") : null;
    try (WorkerStack stack = WorkerStack.start("workers", runDir, servers, workers, settings, jvmOptions(),
            Duration.ofMinutes(5), coHost);
        GroupProgress groups = new GroupProgress(servers, groupInputs)) {
      System.out.println("workers up: " + stack.httpPorts() + " (pid " + stack.jvm().pid() + ")");
      Population population = population(run);
      report.load(loadPopulation(servers, population, groups));
      try (CommitProbe probe = CommitProbe.start(servers, concat(CommitProbe.COMMAND_TOPICS, Topics.AUDIT.name()),
          "leaver-worker")) {
        Phase.Target target = new Phase.Target("workers", stack.jvm(), stack.httpPorts(), groups, probe,
            s -> s.event().record(s.scheduledMillis()), brokerPid, jfrFile);
        Phase.Result result = Phase.run(target, rate, warmup, duration, theMix, population, seed, drainTimeout, servers);
        report.workers(new Phase.Measured(result, probe), ProcStats.sizeOnDisk(stack.stateDir()), stack.states());
      }
    }
    if (jfrFile != null && Files.exists(jfrFile)) {
      List<String> lines = JfrSummary.summarize(jfrFile, 30);
      Files.write(runDir.resolve("workers-jfr-summary.txt"), lines, StandardCharsets.UTF_8);
      report.profile(lines);
    }
  }

  /** Every subject's JOINER, then its factors; each step until every worker has consumed it. */
  private Map<String, Object> loadPopulation(String servers, Population population, GroupProgress groups)
      throws ExecutionException, InterruptedException {
    Map<String, Object> load = new LinkedHashMap<>();
    System.out.printf("loading %,d subjects ...%n", population.size());
    try (KafkaProducer<byte[], byte[]> producer = loadProducer(servers)) {
      long t0 = System.currentTimeMillis();
      for (int i = 0; i < population.size(); i++) {
        producer.send(population.joiner(i, Instant.now()).record(System.currentTimeMillis()));
      }
      producer.flush();
      long joined = groups.awaitCaughtUp(groups.endOffsets(), Duration.ofHours(2), Duration.ofMillis(500), "joiners");
      long t1 = System.currentTimeMillis();
      long factors = 0;
      for (int i = 0; i < population.size(); i++) {
        for (Population.Event e : population.bindings(i, Instant.now())) {
          producer.send(e.record(System.currentTimeMillis()));
          factors++;
        }
      }
      producer.flush();
      long bound = groups.awaitCaughtUp(groups.endOffsets(), Duration.ofHours(2), Duration.ofMillis(500), "bindings");
      load.put("subjects", population.size());
      load.put("joinerEvents", population.size());
      load.put("joinersConsumedSeconds", (joined - t0) / 1000.0);
      load.put("bindingFacts", factors);
      load.put("bindingsConsumedSeconds", (bound - t1) / 1000.0);
      load.put("backlogEventsPerSecond", (population.size() + factors) / ((bound - t0) / 1000.0));
      System.out.printf("population loaded: %,d joiners consumed in %.1fs, %,d bindings in %.1fs (%,.0f events/s drained as a backlog)%n",
          population.size(), (joined - t0) / 1000.0, factors, (bound - t1) / 1000.0,
          (population.size() + factors) / ((bound - t0) / 1000.0));
    }
    return load;
  }

  private Population population(String run) {
    return new Population(run, subjects, usesOnFactsTopic ? Topics.AUTHENTICATOR_EVENTS : Topics.AUTHENTICATOR_USAGE);
  }

  private List<String> jvmOptions() {
    return List.of("-Xmx" + workerHeap, "-Xms" + workerHeap);
  }

  private void createTopics(String servers) throws ExecutionException, InterruptedException {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec<?> t : Topics.allWithDeadLetters()) {
      topics.add(new NewTopic(t.name(), Optional.of(partitions), Optional.empty()));
    }
    topics.add(new NewTopic(BASELINE_IN, Optional.of(partitions), Optional.empty()));
    topics.add(new NewTopic(BASELINE_OUT, Optional.of(partitions), Optional.empty()));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      admin.createTopics(missing).all().get();
    }
  }

  private static KafkaProducer<byte[], byte[]> loadProducer(String servers) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("p")) {
        return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new CommandLine.TypeConversionException("not a duration: " + value + " (e.g. 500ms, 30s, 5m)");
      };
    }
  }

  public static void main(String[] args) {
    Path dir = Path.of(Optional.ofNullable(System.getenv("LIFECYCLE_BENCH_DIR")).orElse("target/bench"));
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--dir")) {
        dir = Path.of(args[i + 1]);
      }
    }
    System.setProperty("lifecycle.log.dir", dir.toString());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "lifecycle-bench-logback.xml");
    }
    System.exit(new CommandLine(new LifecycleBench()).execute(args));
  }

  /** The selected options, for the report. */
  Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("rate", rate);
    o.put("durationSeconds", duration.toSeconds());
    o.put("warmupSeconds", warmup.toSeconds());
    o.put("mix", mix);
    o.put("subjects", subjects);
    o.put("partitions", partitions);
    o.put("commitIntervalMs", commitInterval.toMillis());
    o.put("streamThreads", streamThreads);
    o.put("workerHeap", workerHeap);
    o.put("brokerHeap", brokerHeap);
    o.put("seed", seed);
    o.put("only", only);
    o.put("workerSettings", workerSettings);
    o.put("coHost", coHost);
    o.put("usesOn", (usesOnFactsTopic ? Topics.AUTHENTICATOR_EVENTS : Topics.AUTHENTICATOR_USAGE).name());
    return o;
  }

  private static List<String> concat(List<String> topics, String more) {
    List<String> all = new java.util.ArrayList<>(topics);
    all.add(more);
    return all;
  }
}
