package io.authlifecycle.core.runtime;

import io.authlifecycle.core.streams.WorkerMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restoring state from changelogs, visible while it happens: each store partition's start, progress
 * (at most every {@code logEvery}) and end in the log, and on {@code /metrics}
 * {@code lifecycle_restore_records_total{worker,store}}, {@code lifecycle_restore_remaining_records}
 * and {@code lifecycle_restore_active_partitions}. A worker that is slow to become ready says why.
 */
public final class RestoreProgress implements StateRestoreListener {

  private static final Logger LOG = LoggerFactory.getLogger(RestoreProgress.class);

  private final WorkerMetrics metrics;
  private final Duration logEvery;
  private final LongSupplier clock;
  private final Map<TopicPartition, Partition> active = new ConcurrentHashMap<>();
  private final AtomicLong remaining;
  private final AtomicLong activePartitions;

  /** One store partition being restored. */
  private static final class Partition {
    final String store;
    final long startMillis;
    final long total;
    long restored;
    long lastLogMillis;

    Partition(String store, long startMillis, long total) {
      this.store = store;
      this.startMillis = startMillis;
      this.total = total;
      this.lastLogMillis = startMillis;
    }
  }

  public RestoreProgress(WorkerMetrics metrics, Duration logEvery, LongSupplier clock) {
    this.metrics = metrics;
    this.logEvery = logEvery;
    this.clock = clock;
    this.remaining = metrics.gauge("lifecycle.restore.remaining.records");
    this.activePartitions = metrics.gauge("lifecycle.restore.active.partitions");
  }

  public RestoreProgress(WorkerMetrics metrics) {
    this(metrics, Duration.ofSeconds(10), System::currentTimeMillis);
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    long total = Math.max(0, endingOffset - startingOffset);
    active.put(partition, new Partition(store, clock.getAsLong(), total));
    remaining.addAndGet(total);
    activePartitions.incrementAndGet();
    metrics.counter("lifecycle.restore.records", "store", store);
    if (total > 0) {
      LOG.info("{}: restoring {} from {} (offsets {} to {}, up to {} records)", metrics.worker(), store, partition,
          startingOffset, endingOffset, total);
    }
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    metrics.counter("lifecycle.restore.records", "store", store).increment(numRestored);
    Partition p = active.get(partition);
    if (p == null) {
      return;
    }
    long before = p.restored;
    p.restored += numRestored;
    remaining.addAndGet(-(Math.min(p.restored, p.total) - Math.min(before, p.total)));
    long now = clock.getAsLong();
    if (now - p.lastLogMillis >= logEvery.toMillis()) {
      p.lastLogMillis = now;
      LOG.info("{}: restoring {} from {}: {} of up to {} records in {} s", metrics.worker(), store, partition,
          p.restored, p.total, (now - p.startMillis) / 1000);
    }
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    finish(partition).filter(p -> p.total > 0).ifPresent(p -> LOG.info("{}: restored {} from {}: {} records in {} ms",
        metrics.worker(), store, partition, totalRestored, clock.getAsLong() - p.startMillis));
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    finish(partition).ifPresent(p -> LOG.info("{}: restoring {} from {} suspended after {} records (the task moved)",
        metrics.worker(), store, partition, totalRestored));
  }

  private Optional<Partition> finish(TopicPartition partition) {
    Partition p = active.remove(partition);
    if (p != null) {
      remaining.addAndGet(-Math.max(0, p.total - p.restored));
      activePartitions.decrementAndGet();
    }
    return Optional.ofNullable(p);
  }
}
