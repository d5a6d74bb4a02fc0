package io.authlifecycle.leaver;

import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.core.streams.WorkerMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scheduled and overdue leaver gauges. Each task keeps its own counts in a small logged store
 * (so a restart or a moved task brings them back without scanning the cases) and adds them to the
 * worker-wide gauges while it runs.
 */
final class LeaverGauges {

  static final String SCHEDULED = "lifecycle.leaver.scheduled";
  static final String OVERDUE = "lifecycle.leaver.overdue";

  private final KeyValueStore<String, Long> counts;
  private final AtomicLong scheduled;
  private final AtomicLong overdue;

  LeaverGauges(KeyValueStore<String, Long> counts, WorkerMetrics metrics) {
    this.counts = counts;
    this.scheduled = metrics.gauge(SCHEDULED);
    this.overdue = metrics.gauge(OVERDUE);
    scheduled.addAndGet(count(SCHEDULED));
    overdue.addAndGet(count(OVERDUE));
  }

  /** Registers both gauges at zero, so /metrics shows them before the first leaver. */
  static void register(WorkerMetrics metrics) {
    metrics.gauge(SCHEDULED);
    metrics.gauge(OVERDUE);
  }

  /** One case went from (wasScheduled, wasOverdue) to (isScheduled, isOverdue). */
  void change(boolean wasScheduled, boolean isScheduled, boolean wasOverdue, boolean isOverdue) {
    add(SCHEDULED, scheduled, delta(wasScheduled, isScheduled));
    add(OVERDUE, overdue, delta(wasOverdue, isOverdue));
  }

  /** The task is closing: its cases leave this instance's gauges. */
  void close() {
    scheduled.addAndGet(-count(SCHEDULED));
    overdue.addAndGet(-count(OVERDUE));
  }

  private void add(String key, AtomicLong gauge, int delta) {
    if (delta != 0) {
      counts.put(key, count(key) + delta);
      gauge.addAndGet(delta);
    }
  }

  private long count(String key) {
    Long n = counts.get(key);
    return n == null ? 0 : n;
  }

  static boolean scheduled(LeaverCaseState state) {
    return state != null && state.getPhase() == LeaverPhase.SCHEDULED;
  }

  static boolean overdue(LeaverCaseState state) {
    return state != null && state.getRevocation() != null && state.getRevocation().getOverdue();
  }

  private static int delta(boolean before, boolean after) {
    return (after ? 1 : 0) - (before ? 1 : 0);
  }
}
