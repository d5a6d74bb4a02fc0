package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.testing.KafkaTestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric an alert rule or a dashboard panel names is exposed on some component's /metrics,
 * scraped from the whole stack running the demo on a real broker.
 */
class MetricsContractIT {

  private static final Pattern METRIC = Pattern.compile("\\b((?:lifecycle|kafka|resilience4j|jvm|process)_[a-z0-9_]+)");
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dataDir;

  @Test
  void everyMetricInTheAlertRulesAndTheDashboardIsExposed() throws Exception {
    Set<String> named = new TreeSet<>();
    named.addAll(metricNames(Files.readString(Path.of("prometheus/alerts.yaml"))));
    named.addAll(metricNames(Files.readString(Path.of("grafana/authn-lifecycle.json"))));
    assertThat(named).contains("lifecycle_leaver_overdue", "lifecycle_dead_letters_total", "resilience4j_circuitbreaker_state");

    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      Stack.Options options = new Stack.Options(dataDir, Optional.of(kafka.bootstrapServers()), 0, 0, 0,
          Optional.empty(), Set.of(), true, false, WAIT);
      try (Stack stack = Stack.start(options, out)) {
        Set<String> exposed = new LinkedHashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
          exposed = scrapeAll(stack);
          if (exposed.containsAll(named)) {
            break;
          }
          Thread.sleep(1000);
        }
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(exposed);
        assertThat(missing).as("metrics named in deploy/prometheus and deploy/grafana but exposed by no component").isEmpty();
      }
    }
  }

  private static Set<String> scrapeAll(Stack stack) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Set<String> names = new LinkedHashSet<>();
    for (Components.Started component : stack.components().started()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + component.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      for (String line : response.body().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          names.add(line.split("[{ ]", 2)[0]);
        }
      }
    }
    return names;
  }

  private static Set<String> metricNames(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
