package io.authlifecycle.core.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The product's own meters for one worker, all tagged with the worker's name. */
public final class WorkerMetrics {

  public static final String UNCATALOGUED = "lifecycle.audit.uncatalogued";
  private static final Logger LOG = LoggerFactory.getLogger(WorkerMetrics.class);

  private final String worker;
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  public WorkerMetrics(String worker, MeterRegistry registry) {
    this.worker = worker;
    this.registry = registry;
  }

  /** For tests: meters kept in memory. */
  public static WorkerMetrics inMemory(String worker) {
    return new WorkerMetrics(worker, new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** {@code lifecycle_decisions_total{worker,decision}}. */
  public void decision(String decision) {
    counter("lifecycle.decisions", "decision", decision).increment();
  }

  /** {@code lifecycle_dead_letters_total{worker,topic,kind}}. */
  public void deadLetter(String topic, String kind) {
    counter("lifecycle.dead.letters", "topic", topic, "kind", kind).increment();
  }

  /** Registers the dead-letter counters of an input topic at zero. */
  public void registerDeadLetters(String topic) {
    for (String kind : new String[] {"UNDECODABLE", "INVALID", "TOO_LARGE"}) {
      counter("lifecycle.dead.letters", "topic", topic, "kind", kind);
    }
  }

  /**
   * {@code lifecycle_moved_records_total{worker,topic,record,moved_to}}: records still written in a
   * form the contract has moved elsewhere; read as before, and counted so a migration can be seen to end.
   */
  public Counter movedRecord(String topic, String record, String movedTo) {
    return counter("lifecycle.moved.records", "topic", topic, "record", record, "moved_to", movedTo);
  }

  /** {@code lifecycle_outputs_cut_total{worker,topic}}: an output cut down to the size limits its readers apply. */
  public void outputCut(String topic) {
    counter("lifecycle.outputs.cut", "topic", topic).increment();
  }

  /** {@code lifecycle_audit_events_total{worker,action,severity}}. */
  public void audit(String action, String severity) {
    counter("lifecycle.audit.events", "action", action, "severity", severity).increment();
  }

  /** An audit action missing from {@code AuditCatalog}: the SIEM feed can only report it as Other. */
  public void uncataloguedAudit(String action) {
    if (counter(UNCATALOGUED, "action", action).count() == 0) {
      LOG.warn("{} wrote audit action '{}', which AuditCatalog does not list", worker, action);
    }
    counter(UNCATALOGUED, "action", action).increment();
  }

  /** {@code lifecycle_decision_latency_seconds{worker,decision}}: from the causing event's time to the decision. */
  public void latency(String decision, Duration elapsed) {
    timers.computeIfAbsent(decision, d -> Timer.builder("lifecycle.decision.latency")
        .description("From the causing event's time to the decision")
        .tags("worker", worker, "decision", d)
        .publishPercentileHistogram()
        .register(registry)).record(elapsed.isNegative() ? Duration.ZERO : elapsed);
  }

  /** A named counter with extra tags, for decisions a worker counts on its own. */
  public Counter counter(String name, String... tags) {
    String key = name + String.join("|", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tag("worker", worker).tags(tags).register(registry));
  }

  /** A gauge backed by a value the worker sets, e.g. pending scheduled leavers. */
  public AtomicLong gauge(String name) {
    return gauges.computeIfAbsent(name, n -> {
      AtomicLong value = new AtomicLong();
      io.micrometer.core.instrument.Gauge.builder(n, value, AtomicLong::doubleValue)
          .tag("worker", worker).register(registry);
      return value;
    });
  }

  public String worker() {
    return worker;
  }
}
