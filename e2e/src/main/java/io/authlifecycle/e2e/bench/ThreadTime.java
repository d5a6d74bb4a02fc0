package io.authlifecycle.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each worker's stream threads spent their time, as Kafka Streams measures it itself: the
 * share of wall time in poll, process, punctuate and commit, and the average latency of each,
 * read once from the worker's {@code /metrics} (a scrape is too heavy to repeat during the run).
 */
final class ThreadTime {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ThreadTime() {}

  /** Worker → metric (e.g. {@code commit_ratio}, {@code commit_latency_avg_ms}) → value, averaged over its stream threads. */
  static Map<String, Map<String, Double>> read(Map<String, Integer> httpPorts) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    httpPorts.forEach((worker, port) -> {
      try {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> sums = new TreeMap<>();
        for (String line : body.split("\n")) {
          if (!line.startsWith("kafka_stream_thread_")) {
            continue;
          }
          String name = line.substring("kafka_stream_thread_".length(), line.indexOf('{'));
          boolean ratio = name.matches("(poll|process|punctuate|commit)_ratio");
          boolean latency = name.matches("(poll|process|punctuate|commit)_latency_avg");
          if (!ratio && !latency) {
            continue;
          }
          double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          if (Double.isNaN(v)) {
            continue;
          }
          double[] acc = sums.computeIfAbsent(latency ? name + "_ms" : name, k -> new double[2]);
          acc[0] += v;
          acc[1]++;
        }
        Map<String, Double> avg = new LinkedHashMap<>();
        sums.forEach((k, a) -> avg.put(k, a[0] / a[1]));
        out.put(worker, avg);
      } catch (IOException | RuntimeException e) {
        out.put(worker, Map.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return out;
  }

  /** {@code poll 12% process 40% punctuate 1% commit 47% (commit avg 85 ms)} for one worker. */
  static String line(Map<String, Double> m) {
    if (m.isEmpty()) {
      return "-";
    }
    return String.format("poll %.0f%% process %.0f%% punctuate %.0f%% commit %.0f%% (commit avg %.0f ms)",
        100 * m.getOrDefault("poll_ratio", Double.NaN), 100 * m.getOrDefault("process_ratio", Double.NaN),
        100 * m.getOrDefault("punctuate_ratio", Double.NaN), 100 * m.getOrDefault("commit_ratio", Double.NaN),
        m.getOrDefault("commit_latency_avg_ms", Double.NaN));
  }
}
