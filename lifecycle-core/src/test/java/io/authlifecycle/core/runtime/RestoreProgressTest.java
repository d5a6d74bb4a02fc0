package io.authlifecycle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.streams.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreProgressTest {

  private final WorkerMetrics metrics = WorkerMetrics.inMemory("probe-worker");
  private final AtomicLong clock = new AtomicLong(1_000);
  private final RestoreProgress progress = new RestoreProgress(metrics, Duration.ofSeconds(10), clock::get);
  private final TopicPartition registry0 = new TopicPartition("app-registry-changelog", 0);
  private final TopicPartition timers1 = new TopicPartition("app-timers-changelog", 1);

  @Test
  void countsRestoredRecordsPerStoreAndWhatRemainsUntilEveryPartitionEnds() {
    progress.onRestoreStart(registry0, "registry", 100, 1_100);
    progress.onRestoreStart(timers1, "timers", 0, 500);
    assertThat(gauge("lifecycle.restore.remaining.records")).isEqualTo(1_500);
    assertThat(gauge("lifecycle.restore.active.partitions")).isEqualTo(2);

    progress.onBatchRestored(registry0, "registry", 600, 500);
    progress.onBatchRestored(timers1, "timers", 500, 500);
    progress.onRestoreEnd(timers1, "timers", 500);
    assertThat(restored("registry")).isEqualTo(500);
    assertThat(restored("timers")).isEqualTo(500);
    assertThat(gauge("lifecycle.restore.remaining.records")).isEqualTo(500);
    assertThat(gauge("lifecycle.restore.active.partitions")).isEqualTo(1);

    // Fewer records than the offsets span (compacted away, or transaction markers): nothing is left counted.
    progress.onBatchRestored(registry0, "registry", 1_100, 300);
    progress.onRestoreEnd(registry0, "registry", 800);
    assertThat(restored("registry")).isEqualTo(800);
    assertThat(gauge("lifecycle.restore.remaining.records")).isZero();
    assertThat(gauge("lifecycle.restore.active.partitions")).isZero();
  }

  @Test
  void aSuspendedRestoreNoLongerCountsAsRemaining() {
    progress.onRestoreStart(registry0, "registry", 0, 1_000);
    progress.onBatchRestored(registry0, "registry", 400, 400);

    progress.onRestoreSuspended(registry0, "registry", 400);

    assertThat(gauge("lifecycle.restore.remaining.records")).isZero();
    assertThat(gauge("lifecycle.restore.active.partitions")).isZero();
    assertThat(restored("registry")).isEqualTo(400);
  }

  private double gauge(String name) {
    return registry().get(name).tag("worker", "probe-worker").gauge().value();
  }

  private double restored(String store) {
    return registry().get("lifecycle.restore.records").tag("store", store).counter().count();
  }

  private MeterRegistry registry() {
    return metrics.registry();
  }
}
