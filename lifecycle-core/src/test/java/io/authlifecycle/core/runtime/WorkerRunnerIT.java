package io.authlifecycle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.SampleRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared runtime against a real in-JVM KRaft broker. */
class WorkerRunnerIT {

  private static final String TOKEN = "query-token-of-the-tests-0123456789";
  private static KafkaTestCluster kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = KafkaTestCluster.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void deadLettersGarbageAndInvalidRecordsWhileStayingRunningAndServesHealthAndMetrics(@TempDir Path state) throws Exception {
    ProbeWorker app = new ProbeWorker();
    Settings settings = WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), state.toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.HTTP_QUERY_TOKEN.key(), TOKEN));
    try (RunningWorker worker = WorkerRunner.start(app, settings)) {
      assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();

      WorkerEvent good = WorkerEvent.newBuilder(SampleRecords.joiner("alice")).setEventTime(Instant.now()).build();
      WorkerEvent invalid = WorkerEvent.newBuilder(good).setEventId("e-invalid").setSubjectId("").build();
      kafka.produceRaw(List.of(
          new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), bytes("alice"), "not avro at all".getBytes(StandardCharsets.UTF_8))));
      kafka.produce(Topics.HR_WORKER_EVENTS, "alice", invalid);
      kafka.produce(Topics.HR_WORKER_EVENTS, "alice", good);

      List<DeadLetter> letters = kafka.readCommitted(Topics.HR_WORKER_EVENTS.deadLetterTopic(), 2, Duration.ofSeconds(60));
      List<AuditEvent> audit = kafka.readCommitted(Topics.AUDIT, 3, Duration.ofSeconds(60));

      assertThat(letters).extracting(DeadLetter::getErrorKind)
          .containsExactly(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID);
      assertThat(letters.get(1).getError()).contains("subjectId is blank");
      assertThat(audit).extracting(AuditEvent::getAction)
          .containsExactly("input.dead-lettered", "input.dead-lettered", "probe.received");
      assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
      assertThat(worker.state()).isEqualTo(KafkaStreams.State.RUNNING);

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + worker.httpPort();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("RUNNING");
      assertThat(ready.statusCode()).isEqualTo(200);
      HttpResponse<String> subject = http.send(HttpRequest.newBuilder(URI.create(base + "/subjects?id=alice"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(subject.statusCode()).isEqualTo(200);
      assertThat(subject.body())
          .contains("\"worker\":\"probe-worker\"")
          .contains("\"probe-worker-audit-chain\":{\"sequence\":3")
          .contains("\"kind\":\"probe.later\"");
      assertThat(metrics.body())
          .contains("lifecycle_dead_letters_total{kind=\"UNDECODABLE\",topic=\"hr.worker-events.v1\",worker=\"probe-worker\"} 1.0")
          .contains("lifecycle_audit_events_total")
          .contains("kafka_stream_");
    }
  }

  @Test
  void reportsTheRestoreOfItsStoresOnMetricsAfterTheLocalStateIsWiped(@TempDir Path state) throws Exception {
    ProbeWorker app = new ProbeWorker();
    Settings settings = WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), state.toString(),
        CoreSettings.APPLICATION_ID_PREFIX.key(), "restore-it",
        CoreSettings.HTTP_PORT.key(), "0"));
    try (RunningWorker worker = WorkerRunner.start(app, settings)) {
      assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
      kafka.produce(Topics.HR_WORKER_EVENTS, "restored-subject", WorkerEvent.newBuilder(SampleRecords.joiner("restored-subject"))
          .setEventTime(Instant.now()).build());
      awaitAuditOf("restored-subject");
    }
    deleteRecursively(state.resolve("restore-it-" + app.name()));

    try (RunningWorker worker = WorkerRunner.start(app, settings)) {
      assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics)
          .containsPattern("lifecycle_restore_records_total\\{store=\"probe-worker-audit-chain\",worker=\"probe-worker\"} [1-9]")
          .contains("lifecycle_restore_remaining_records{worker=\"probe-worker\"} 0.0")
          .contains("lifecycle_restore_active_partitions{worker=\"probe-worker\"} 0.0");
    }
  }

  private static void awaitAuditOf(String subject) {
    assertThat(kafka.readCommitted(Topics.AUDIT, audit -> audit.stream().anyMatch(a -> a.getSubjectId().equals(subject)),
        Duration.ofSeconds(60))).anyMatch(a -> a.getSubjectId().equals(subject));
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (java.nio.file.Files.exists(dir)) {
      try (var files = java.nio.file.Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
    }
  }

  /**
   * A subject's state is served only to a caller with the token: none, a wrong one, or asking the
   * owning instance directly ({@code local=true}) without it gets 401, while an instance that does not
   * own the subject forwards the question with the token and returns the owner's answer.
   */
  @Test
  void subjectsAnswersOnlyACallerWithTheBearerTokenAndForwardsItToTheOwningInstance(@TempDir Path state) throws Exception {
    ProbeWorker app = new ProbeWorker();
    Path tokenFile = state.resolve("query-token");
    java.nio.file.Files.writeString(tokenFile, TOKEN + "\n");
    Map<String, String> common = Map.of(CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.HTTP_PORT.key(), "0", CoreSettings.APPLICATION_ID_PREFIX.key(), "auth",
        CoreSettings.HTTP_QUERY_TOKEN_FILE.key(), tokenFile.toString());
    try (RunningWorker a = WorkerRunner.start(app, settings(app, common, state.resolve("a")));
        RunningWorker b = WorkerRunner.start(app, settings(app, common, state.resolve("b")))) {
      assertThat(a.awaitRunning(Duration.ofSeconds(60))).isTrue();
      assertThat(b.awaitRunning(Duration.ofSeconds(60))).isTrue();
      List<String> subjects = List.of("s-1", "s-2", "s-3", "s-4", "s-5", "s-6");
      for (String s : subjects) {
        kafka.produce(Topics.HR_WORKER_EVENTS, s, WorkerEvent.newBuilder(SampleRecords.joiner(s)).setEventTime(Instant.now()).build());
      }
      kafka.readCommitted(Topics.AUDIT, vs -> vs.stream().filter(e -> e.getWorker().equals("probe-worker")
          && subjects.contains(e.getSubjectId()) && e.getAction().equals("probe.received")).count() >= subjects.size(),
          Duration.ofSeconds(60));

      java.util.Set<String> servedBy = new java.util.TreeSet<>();
      for (String s : subjects) {
        HttpResponse<String> none = get(a, "/subjects?id=" + s, null);
        HttpResponse<String> wrong = get(a, "/subjects?id=" + s, "Bearer " + TOKEN.replace('q', 'Q'));
        HttpResponse<String> local = get(b, "/subjects?local=true&id=" + s, null);
        HttpResponse<String> right = getAnswered(a, "/subjects?id=" + s, "Bearer " + TOKEN);
        assertThat(none.statusCode()).as(s).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.body()).doesNotContain(s);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(local.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(right.body()).contains("\"subjectId\":\"" + s + "\"").contains("\"sequence\":1");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"servedBy\":\"([^\"]+)\"").matcher(right.body());
        assertThat(m.find()).isTrue();
        servedBy.add(m.group(1));
      }
      assertThat(servedBy).as("answered by both instances, the other one's through a forwarded question").hasSize(2);
      assertThat(get(a, "/health", null).statusCode()).isEqualTo(200);
    }
  }

  private static Settings settings(ProbeWorker app, Map<String, String> common, Path state) {
    Map<String, String> all = new java.util.HashMap<>(common);
    all.put(CoreSettings.STATE_DIR.key(), state.toString());
    return WorkerRunner.settings(app, Optional.empty(), all);
  }

  /** Asks until the answer holds the subject's state: the instances may still be settling their partitions. */
  private static HttpResponse<String> getAnswered(RunningWorker worker, String path, String authorization) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = get(worker, path, authorization);
    while ((response.statusCode() != 200 || !response.body().contains("\"sequence\"")) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      response = get(worker, path, authorization);
    }
    return response;
  }

  private static HttpResponse<String> get(RunningWorker worker, String path, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
