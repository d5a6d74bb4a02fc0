package io.authlifecycle.e2e.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The benchmark's one table on the console and the same figures as JSON. */
final class BenchReport {

  private static final double MB = 1024.0 * 1024.0;

  private final LifecycleBench options;
  private final String stamp;
  private final Mix mix;
  private final List<String> loadAverages = new ArrayList<>();
  private Map<String, String> settings = Map.of();
  private Map<String, Object> load;
  private Phase.Measured baseline;
  private Phase.Measured workers;
  private long stateBytes = -1;
  private Map<String, String> workerStates = Map.of();
  private List<String> profile = List.of();

  BenchReport(LifecycleBench options, String stamp, Mix mix) {
    this.options = options;
    this.stamp = stamp;
    this.mix = mix;
  }

  void machine(String loadAverage) {
    loadAverages.add(loadAverage);
  }

  void workerSettings(Map<String, String> settings) {
    this.settings = settings;
  }

  void load(Map<String, Object> load) {
    this.load = load;
  }

  void baseline(Phase.Measured baseline) {
    this.baseline = baseline;
  }

  void workers(Phase.Measured workers, long stateBytes, Map<String, String> states) {
    this.workers = workers;
    this.stateBytes = stateBytes;
    this.workerStates = states;
  }

  void profile(List<String> lines) {
    this.profile = lines;
  }

  void print(PrintStream out) {
    out.println();
    out.printf("lifecycle-bench %s: %d cores, load average (1/5/15 min) at start, after the baseline, at the end: %s%n",
        stamp, Runtime.getRuntime().availableProcessors(), String.join(" | ", loadAverages));
    out.printf("offered %,.0f events/s for %ds after %ds warm-up; mix %s; %,d subjects; %d partitions; commit interval %d ms; %d stream thread(s) per worker%n",
        options.rate, options.duration.toSeconds(), options.warmup.toSeconds(), mix, options.subjects, options.partitions,
        options.commitInterval.toMillis(), options.streamThreads);
    out.printf("deployment: %s; factor use on %s; worker settings %s%n",
        options.coHost ? "co-hosted (one Streams application)" : "one Streams application per worker",
        options.options().get("usesOn"), settings);
    if (load != null) {
      out.printf("population: %,d joiners consumed in %.1f s, %,d binding facts in %.1f s (%,.0f events/s as a backlog)%n",
          ((Number) load.get("joinerEvents")).longValue(), load.get("joinersConsumedSeconds"),
          ((Number) load.get("bindingFacts")).longValue(), load.get("bindingsConsumedSeconds"), load.get("backlogEventsPerSecond"));
    }
    out.println();
    String format = "%-46s %-28s %-24s%n";
    out.printf(format, "", "workers (exactly_once_v2)", "baseline pipe (EOS)");
    row(out, format, "events sent in the measured window", m -> String.format("%,d", m.result().load().sentInWindow()));
    row(out, format, "processed, events/s", m -> Double.isNaN(m.result().processedPerSecond()) ? "not caught up"
        : String.format("%,.0f", m.result().processedPerSecond()));
    out.printf(format, "workers ÷ pipe (processed events/s)", workers == null || baseline == null ? "-" : ratio(), "");
    row(out, format, "kept up? (lag at end of schedule, events)", m -> (m.result().keptUp(options.rate) ? "yes" : "NO")
        + " (" + String.format("%,d", m.result().lagAtEnd().values().stream().mapToLong(Long::longValue).max().orElse(0)) + ")");
    row(out, format, "caught up after the schedule, s", m -> m.result().caughtUpMillis() < 0 ? "timed out"
        : String.format("%.1f", (m.result().caughtUpMillis() - m.result().endMillis()) / 1000.0));
    row(out, format, "sender behind schedule at most, ms", m -> String.format("%,d", m.result().load().maxBehindMillis()));
    out.printf(format, "latency ms p50 / p99 / p99.9 / max:", "", "");
    row(out, format, "  leaver REVOKE_ALL committed", m -> m.probe().leaverRevokeAll().line());
    row(out, format, "  every command committed", m -> m.probe().commands().line());
    row(out, format, "  every audited decision committed", m -> m.probe().audit().line());
    row(out, format, "  every piped record committed", m -> m.probe().baseline().line());
    row(out, format, "leaver REVOKE_ALL seen / leavers sent", m -> m.probe().leaverRevokeAll().count() == 0
        && m.probe().baseline().count() > 0 ? "-" : String.format("%,d / %,d", m.probe().leaverRevokeAll().count(),
        m.result().load().inWindowByKind().getOrDefault(Mix.EventKind.LEAVER, 0L)));
    row(out, format, "duplicate commands visible", m -> m.probe().baseline().count() > 0 ? "-"
        : String.valueOf(m.probe().duplicateCommands()));
    row(out, format, "CPU cores: measured JVM", m -> cores(m, "measured JVM"));
    row(out, format, "CPU cores: broker", m -> cores(m, "broker"));
    row(out, format, "CPU cores: bench driver (load + probe)", m -> cores(m, "bench driver"));
    row(out, format, "CPU cores: everything else on the machine", m -> cores(m, "everything else on the machine"));
    row(out, format, "heap in use (jstat), max in window, MB", m -> Double.isNaN(m.result().maxHeapBytes()) ? "-"
        : String.format("%,.0f", m.result().maxHeapBytes() / MB));
    row(out, format, "GC time in window, s", m -> Double.isNaN(m.result().gcSecondsInWindow()) ? "-"
        : String.format("%.2f", m.result().gcSecondsInWindow()));
    out.printf(format, "state stores on disk, MB", stateBytes < 0 ? "-" : String.format("%,.0f", stateBytes / MB), "-");
    if (workers != null && baseline != null) {
      out.printf("throughput ratio workers / baseline: %s; leaver p99 %s ms beside the baseline's p99 %s ms%n", ratio(),
          workers.probe().leaverRevokeAll().percentile(99), baseline.probe().baseline().percentile(99));
    }
    if (workers != null) {
      out.println("per worker: input events/s committed in the window, lag at the end of the schedule: "
          + perWorker());
      out.println("stream thread time at the end of the schedule (Kafka Streams' own thread metrics):");
      workers.result().threadTime().forEach((w, m) -> out.printf("  %-16s %s%n", w, ThreadTime.line(m)));
      out.println("worker states at the end: " + workerStates);
    }
    if (!profile.isEmpty()) {
      out.println();
      profile.forEach(out::println);
    }
  }

  /**
   * One line for scripts, printed last: {@code RESULT key=value ...} with the offered rate, the commit
   * interval, what the workers and the pipe processed, their ratio, whether the workers kept up, and the
   * leaver's REVOKE_ALL p99 against the pipe's record p99 (and that ratio); {@code NaN} where a side did
   * not run or did not catch up, {@code -1} for a latency with no sample.
   */
  String resultLine() {
    double w = workers == null ? Double.NaN : workers.result().processedPerSecond();
    double b = baseline == null ? Double.NaN : baseline.result().processedPerSecond();
    long leaverP99 = workers == null || workers.probe().leaverRevokeAll().count() == 0 ? -1
        : workers.probe().leaverRevokeAll().percentile(99);
    long pipeP99 = baseline == null || baseline.probe().baseline().count() == 0 ? -1 : baseline.probe().baseline().percentile(99);
    return String.format(Locale.ROOT,
        "RESULT rate=%.0f commit_ms=%d workers_eps=%.0f pipe_eps=%.0f workers_per_pipe=%.3f workers_kept_up=%s"
            + " leaver_p99_ms=%d pipe_p99_ms=%d leaver_p99_per_pipe_p99=%.2f",
        options.rate, options.commitInterval.toMillis(), w, b, w / b,
        workers == null ? "n/a" : workers.result().keptUp(options.rate) ? "yes" : "no",
        leaverP99, pipeP99, leaverP99 < 0 || pipeP99 <= 0 ? Double.NaN : (double) leaverP99 / pipeP99);
  }

  private void row(PrintStream out, String format, String label, Function<Phase.Measured, String> cell) {
    out.printf(format, label, workers == null ? "-" : cell.apply(workers), baseline == null ? "-" : cell.apply(baseline));
  }

  private static String cores(Phase.Measured m, String process) {
    Double c = m.result().cores().get(process);
    return c == null ? "-" : String.format("%.2f", c);
  }

  private String ratio() {
    double w = workers.result().processedPerSecond();
    double b = baseline.result().processedPerSecond();
    return Double.isNaN(w) || Double.isNaN(b) ? "n/a" : String.format("%.2f", w / b);
  }

  private String perWorker() {
    Map<String, String> out = new LinkedHashMap<>();
    workers.result().groupRatesInWindow().forEach((g, r) -> out.put(g, String.format("%,.0f/s, lag %,d", r,
        workers.result().lagAtEnd().getOrDefault(g, 0L))));
    return out.toString();
  }

  Map<String, Object> json() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("run", stamp);
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("loadAverages", loadAverages);
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    j.put("machine", machine);
    j.put("options", options.options());
    j.put("mixShares", mix.toString());
    j.put("workerSettings", settings);
    j.put("population", load);
    j.put("workers", workers == null ? null : phase(workers, true));
    j.put("baseline", baseline == null ? null : phase(baseline, false));
    if (workers != null && baseline != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("throughputRatio", workers.result().processedPerSecond() / baseline.result().processedPerSecond());
      c.put("leaverP99Ms", workers.probe().leaverRevokeAll().percentile(99));
      c.put("baselineP99Ms", baseline.probe().baseline().percentile(99));
      j.put("comparison", c);
    }
    j.put("profile", profile);
    j.put("result", resultLine());
    return j;
  }

  private Map<String, Object> phase(Phase.Measured m, boolean isWorkers) {
    Phase.Result r = m.result();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sent", r.load().sent());
    p.put("sentInWindow", r.load().sentInWindow());
    p.put("sentInWindowByKind", r.load().inWindowByKind());
    p.put("sendErrors", r.load().sendErrors());
    p.put("firstSendError", r.load().firstError());
    p.put("maxBehindScheduleMs", r.load().maxBehindMillis());
    p.put("processedPerSecond", r.processedPerSecond());
    p.put("keptUp", r.keptUp(options.rate));
    p.put("lagAtEndOfSchedule", r.lagAtEnd());
    p.put("caughtUpSecondsAfterSchedule", r.caughtUpMillis() < 0 ? null : (r.caughtUpMillis() - r.endMillis()) / 1000.0);
    p.put("groupInputRatesInWindow", r.groupRatesInWindow());
    p.put("cpuCores", r.cores());
    p.put("maxHeapMB", r.maxHeapBytes() / MB);
    p.put("gcPauseSecondsInWindow", r.gcSecondsInWindow());
    Map<String, Object> latency = new LinkedHashMap<>();
    if (isWorkers) {
      latency.put("leaverRevokeAll", m.probe().leaverRevokeAll().summary());
      latency.put("allCommands", m.probe().commands().summary());
      latency.put("allAuditedDecisions", m.probe().audit().summary());
      p.put("commandsInWindowByAction", m.probe().commandsByAction());
      p.put("duplicateCommands", m.probe().duplicateCommands());
      p.put("stateStoreBytes", stateBytes);
      p.put("workerStatesAtEnd", workerStates);
      p.put("streamThreadTime", r.threadTime());
    } else {
      latency.put("pipedRecords", m.probe().baseline().summary());
    }
    p.put("latency", latency);
    return p;
  }
}
