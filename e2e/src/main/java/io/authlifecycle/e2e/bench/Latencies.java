package io.authlifecycle.e2e.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies at millisecond resolution, counted exactly (one bucket per millisecond up to ten
 * minutes, beyond that in the last bucket), so percentiles are exact to the millisecond.
 */
public final class Latencies {

  private static final int BUCKETS = 600_001;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;

  public synchronized void record(long millis) {
    long m = Math.max(0, millis);
    counts[(int) Math.min(m, BUCKETS - 1)]++;
    total++;
    max = Math.max(max, m);
  }

  public synchronized long count() {
    return total;
  }

  public synchronized long max() {
    return max;
  }

  /** The smallest latency that {@code p} percent of the samples do not exceed; -1 with no samples. */
  public synchronized long percentile(double p) {
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(p / 100.0 * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return i;
      }
    }
    return max;
  }

  /** count, p50, p99, p99.9 and max, for the report. */
  public Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("count", count());
    s.put("p50Ms", percentile(50));
    s.put("p99Ms", percentile(99));
    s.put("p999Ms", percentile(99.9));
    s.put("maxMs", count() == 0 ? -1 : max());
    return s;
  }

  /** {@code p50 / p99 / p99.9 / max} in milliseconds, or a dash with no samples. */
  public String line() {
    if (count() == 0) {
      return "-";
    }
    return String.format("%,d / %,d / %,d / %,d", percentile(50), percentile(99), percentile(99.9), max());
  }
}
