package io.authlifecycle.e2e.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Java process started from this process's class path (a worker stack, the baseline pipe): its
 * output kept line by line and copied to a log file, its CPU time read from {@code /proc}, and a
 * clean stop (SIGTERM) or a real crash (SIGKILL).
 */
public final class ChildJvm implements AutoCloseable {

  private final String name;
  private final Process process;
  /** What the process printed, kept up to {@link #KEPT_LINES} (its start-up lines are what callers look for). */
  private final List<String> lines = new ArrayList<>();
  private static final int KEPT_LINES = 20_000;
  private final Thread reader;

  private ChildJvm(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.process = process;
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            if (lines.size() < KEPT_LINES) {
              lines.add(line);
            }
          }
          out.println(line);
        }
      } catch (IOException e) {
        out.println("(output closed: " + e.getMessage() + ")");
      } finally {
        out.close();
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} in a new JVM with this JVM's class path (in an argument file, so the
   * process list stays readable), the given JVM options and program arguments; stdout and stderr
   * go to {@code dir/<name>.out}.
   */
  public static ChildJvm start(String name, Path dir, List<String> jvmOptions, String mainClass, List<String> args)
      throws IOException {
    Files.createDirectories(dir);
    Path argFile = dir.resolve(name + ".jvm.args");
    Files.writeString(argFile, "-cp\n\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n",
        StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.authlifecycle.avro");
    command.add("@" + argFile);
    command.add(mainClass);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildJvm(name, process, dir.resolve(name + ".out"));
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The lines printed so far (the first {@value #KEPT_LINES}). */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Waits for a printed line that matches; fails fast if the process exits first. */
  public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (System.nanoTime() < deadline) {
      synchronized (lines) {
        for (; checked < lines.size(); checked++) {
          if (match.test(lines.get(checked))) {
            return lines.get(checked);
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was ready:\n"
            + tail(20));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + "s:\n" + tail(20));
  }

  /** The last lines kept, for failure messages. */
  public String tail(int count) {
    synchronized (lines) {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
  }

  /** User plus system CPU seconds this process has used, from {@code /proc/<pid>/stat}. */
  public Optional<Double> cpuSeconds() {
    return ProcStats.cpuSeconds(process.pid());
  }

  /** SIGKILL: the process gets no chance to flush, commit or leave its group. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (the shutdown hooks run), then SIGKILL if it has not exited in time. */
  public void stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(60));
      reader.join(5_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
