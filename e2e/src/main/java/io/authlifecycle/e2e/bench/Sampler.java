package io.authlifecycle.e2e.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Samples, every half second while a phase runs: CPU seconds of the processes that matter (the
 * measured JVM, the broker, this driver) and of the whole machine, the measured JVM's heap and GC
 * time, and each consumer group's committed total. Figures for a window come from the samples
 * nearest its edges.
 */
final class Sampler implements AutoCloseable {

  /** One sample. */
  record Sample(long millis, Map<String, Double> cpu, double machineBusy, double machineTotal, double heapUsed,
      double gcSeconds, Map<String, Long> committed) {}

  private final Map<String, Long> pids;
  private final HeapWatch heap;
  private final Map<String, LongSupplier> counters;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** Samples the given processes; heap and GC of the one named {@code heapOf}, if any. */
  Sampler(Map<String, Long> pids, Optional<Long> heapOf, Map<String, LongSupplier> counters) {
    this.pids = pids;
    this.heap = heapOf.map(HeapWatch::start).orElse(null);
    this.counters = counters;
    this.thread = new Thread(this::loop, "bench-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    pids.forEach((name, pid) -> ProcStats.cpuSeconds(pid).ifPresent(s -> cpu.put(name, s)));
    double[] machine = ProcStats.machineCpuSeconds().orElse(new double[] {Double.NaN, Double.NaN});
    double heapUsed = heap == null ? Double.NaN : heap.heapUsedBytes();
    double gc = heap == null ? Double.NaN : heap.gcSeconds();
    Map<String, Long> committed = new LinkedHashMap<>();
    counters.forEach((group, counter) -> {
      try {
        committed.put(group, counter.getAsLong());
      } catch (RuntimeException e) {
        // a missed reading; the nearest other sample is used
      }
    });
    synchronized (samples) {
      samples.add(new Sample(System.currentTimeMillis(), cpu, machine[0], machine[1], heapUsed, gc, committed));
    }
  }

  /** The sample taken nearest to {@code millis}. */
  Sample at(long millis) {
    synchronized (samples) {
      Sample best = samples.get(0);
      for (Sample s : samples) {
        if (Math.abs(s.millis() - millis) < Math.abs(best.millis() - millis)) {
          best = s;
        }
      }
      return best;
    }
  }

  /** The largest heap reading between two times. */
  double maxHeapBetween(long from, long to) {
    synchronized (samples) {
      return samples.stream().filter(s -> s.millis() >= from && s.millis() <= to && !Double.isNaN(s.heapUsed()))
          .mapToDouble(Sample::heapUsed).max().orElse(Double.NaN);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
    sample();
    if (heap != null) {
      heap.close();
    }
  }
}
