package io.authlifecycle.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** CPU time of a process and of the whole machine, and the load average, as Linux reports them in {@code /proc}. */
public final class ProcStats {

  /** Clock ticks per second of {@code /proc} counters; 100 on every common Linux build. */
  private static final double TICKS = 100.0;

  private ProcStats() {}

  /** User plus system CPU seconds of one process; empty where {@code /proc} is not readable. */
  public static Optional<Double> cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of((Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Busy and total CPU seconds of the whole machine since boot (all cores), from {@code /proc/stat}. */
  public static Optional<double[]> machineCpuSeconds() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return Optional.of(new double[] {(total - idle) / TICKS, total / TICKS});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Bytes of every regular file under a folder (0 if it does not exist). */
  public static long sizeOnDisk(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a file RocksDB removed while we walked
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
