package io.authlifecycle.e2e.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Heap in use and total GC time of another JVM, once a second, from {@code jstat -gc PID 1000}: it
 * reads the JVM's shared performance counters, so unlike a {@code /metrics} scrape it costs the
 * measured JVM nothing.
 */
final class HeapWatch implements AutoCloseable {

  private final Process jstat;
  private final Thread reader;
  private volatile double heapUsedBytes = Double.NaN;
  private volatile double gcSeconds = Double.NaN;

  private HeapWatch(Process jstat) {
    this.jstat = jstat;
    this.reader = new Thread(this::read, "bench-jstat");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts watching; where {@code jstat} is missing every reading is NaN. */
  static HeapWatch start(long pid) {
    try {
      Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
      Process p = new ProcessBuilder(jstat.toString(), "-gc", String.valueOf(pid), "1000").redirectErrorStream(true).start();
      return new HeapWatch(p);
    } catch (IOException e) {
      return new HeapWatch(null);
    }
  }

  private void read() {
    if (jstat == null) {
      return;
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
      List<String> header = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        List<String> cols = Arrays.asList(line.trim().split("\\s+"));
        if (cols.contains("EU")) {
          header = cols;
          continue;
        }
        if (header == null || cols.size() != header.size()) {
          continue;
        }
        double kb = 0;
        for (String c : List.of("S0U", "S1U", "EU", "OU")) {
          kb += Double.parseDouble(cols.get(header.indexOf(c)));
        }
        heapUsedBytes = kb * 1024;
        gcSeconds = Double.parseDouble(cols.get(header.indexOf("GCT")));
      }
    } catch (IOException | RuntimeException e) {
      // the watched JVM is gone, or jstat printed something else: the last reading stands
    }
  }

  double heapUsedBytes() {
    return heapUsedBytes;
  }

  double gcSeconds() {
    return gcSeconds;
  }

  @Override
  public void close() {
    if (jstat != null) {
      jstat.destroy();
    }
  }
}
