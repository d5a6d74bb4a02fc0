package io.authlifecycle.e2e.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU time went, from the execution samples of a JDK Flight Recorder file: the
 * hottest methods (self time) and the share of samples with a frame in each area (inclusive),
 * so serialization, RocksDB, the Kafka clients and the product's own code can be told apart.
 */
public final class JfrSummary {

  /** Areas by the first matching frame prefix; a sample counts once per area it touches. */
  private static final Map<String, String> AREAS = new LinkedHashMap<>();

  static {
    AREAS.put("Avro encode/decode", "org.apache.avro.");
    AREAS.put("RocksDB (state stores)", "org.rocksdb.");
    AREAS.put("Streams state stores / caching", "org.apache.kafka.streams.state.");
    AREAS.put("Streams changelog / record collector", "org.apache.kafka.streams.processor.internals.RecordCollectorImpl");
    AREAS.put("Kafka producer (incl. compression)", "org.apache.kafka.clients.producer.");
    AREAS.put("Kafka consumer / fetch", "org.apache.kafka.clients.consumer.");
    AREAS.put("Kafka network client", "org.apache.kafka.common.network.");
    AREAS.put("lz4 compression", "net.jpountz.");
    AREAS.put("Micrometer metrics", "io.micrometer.");
    AREAS.put("Kafka metrics / sensors", "org.apache.kafka.common.metrics.");
    AREAS.put("audit hashing (SHA-256)", "io.authlifecycle.core.audit.AuditHasher");
    AREAS.put("timer index", "io.authlifecycle.core.timers.");
    AREAS.put("product decisions (io.authlifecycle)", "io.authlifecycle.");
    AREAS.put("logging", "ch.qos.logback.");
  }

  private JfrSummary() {}

  /** Top {@code top} self methods and every area's inclusive share, as printable lines. */
  public static List<String> summarize(Path recording, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> methods = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> touched = new HashSet<>();
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = name(frame);
        if (seen.add(method)) {
          methods.merge(method, 1, Integer::sum);
        }
        for (Map.Entry<String, String> area : AREAS.entrySet()) {
          if (method.startsWith(area.getValue())) {
            touched.add(area.getKey());
          }
        }
      }
      touched.forEach(a -> inclusive.merge(a, 1, Integer::sum));
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format("JFR execution samples: %,d (%s)", samples, recording));
    lines.add("inclusive share of samples by area:");
    int total = Math.max(1, samples);
    AREAS.keySet().stream().filter(inclusive::containsKey)
        .sorted((a, b) -> Integer.compare(inclusive.get(b), inclusive.get(a)))
        .forEach(a -> lines.add(String.format("  %5.1f%%  %s", 100.0 * inclusive.get(a) / total, a)));
    lines.add("product and metrics methods on the stack (inclusive):");
    methods.entrySet().stream().filter(e -> e.getKey().startsWith("io.authlifecycle.") || e.getKey().startsWith("io.micrometer."))
        .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(top)
        .forEach(e -> lines.add(String.format("  %5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey())));
    lines.add("hottest methods (self):");
    self.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(top)
        .forEach(e -> lines.add(String.format("  %5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey())));
    return lines;
  }

  /** {@code java -cp e2e/target/lifecycle-bench.jar io.authlifecycle.e2e.bench.JfrSummary FILE.jfr [TOP]}. */
  public static void main(String[] args) throws IOException {
    summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 30).forEach(System.out::println);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }
}
