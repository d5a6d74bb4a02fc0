package io.authlifecycle.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries across instances: two instances of a worker, each advertising its own address
 * (as pods advertise their pod IP), answer {@code inspect} for each other's subjects; a subject owned
 * by an instance nobody can reach is reported as an error naming it, never as an empty state.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InspectAcrossInstancesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SUBJECTS = IntStream.range(0, 12).mapToObj(i -> "subject-" + i).toList();

  private static final String TOKEN = "inspect-across-instances-token";
  private static KafkaTestCluster kafka;
  private static Path tokenFile;
  private static RunningWorker first;
  private static RunningWorker second;

  @TempDir
  static Path state;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaTestCluster.start();
    tokenFile = state.resolve("query-token");
    java.nio.file.Files.writeString(tokenFile, TOKEN);
    // As pods do: bind every address, advertise the pod IP, queries on a port of their own;
    // two loopback addresses stand in for two pods.
    first = startProbe("a", "0.0.0.0", "127.0.0.1", "0");
    second = startProbe("b", "0.0.0.0", "127.0.0.2", "0");
    awaitEveryInstanceOwnsAPartition(first, second);
    Map<String, WorkerEvent> joiners = new LinkedHashMap<>();
    for (String subject : SUBJECTS) {
      joiners.put(subject, WorkerEvent.newBuilder(SampleRecords.joiner(subject)).setEventTime(Instant.now()).build());
    }
    kafka.produce(Topics.HR_WORKER_EVENTS, joiners);
    kafka.readCommitted(Topics.AUDIT, SUBJECTS.size(), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    second.close();
    first.close();
    kafka.close();
  }

  @Test
  @Order(1)
  void eitherInstanceAnswersForEverySubjectFromTheInstanceThatOwnsIt() throws Exception {
    Set<String> servedBy = new HashSet<>();
    for (String subject : SUBJECTS) {
      JsonNode viaFirst = inspect(subject, first);
      JsonNode viaSecond = inspect(subject, second);

      assertThat(viaFirst).isEqualTo(viaSecond);
      JsonNode answer = viaFirst.get("workers").get(0);
      assertThat(answer.has("error")).as("%s", answer).isFalse();
      assertThat(answer.get("state").get("probe-worker-audit-chain").get("sequence").asLong()).as(subject).isEqualTo(1);
      servedBy.add(answer.get("servedBy").asText());
    }
    assertThat(servedBy).containsExactlyInAnyOrder(endpoint("127.0.0.1", first), endpoint("127.0.0.2", second));
  }

  @Test
  @Order(0)
  void theHealthAndMetricsPortDoesNotServeSubjectsWhenQueriesHaveTheirOwn() {
    Cli viaMetricsPort = Cli.run("inspect", "--token-file", tokenFile.toString(), "--subject", SUBJECTS.get(0), "--endpoint", "http://127.0.0.1:" + first.httpPort(),
        "--json");

    assertThat(first.queryPort()).isNotEqualTo(first.httpPort());
    assertThat(viaMetricsPort.exitCode()).isEqualTo(1);
    assertThat(viaMetricsPort.out()).contains("\"workers\":[]");
  }

  @Test
  @Order(2)
  void aSubjectOwnedByAnUnreachableInstanceIsAFailureNamingItNotANullState() throws Exception {
    // Binds loopback but advertises an address where nothing listens: its partitions cannot be asked.
    try (RunningWorker unreachable = startProbe("c", "127.0.0.1", "127.0.0.3", "-1")) {
      awaitEveryInstanceOwnsAPartition(first, second, unreachable);
      String advertised = "127.0.0.3:" + unreachable.queryPort();
      int failed = 0;
      for (String subject : SUBJECTS) {
        Cli viaFirst = Cli.run("inspect", "--token-file", tokenFile.toString(), "--subject", subject, "--endpoint", "http://127.0.0.1:" + first.queryPort(), "--json");
        JsonNode answer = JSON.readTree(viaFirst.out()).get("workers").get(0);
        if (!answer.has("error")) {
          assertThat(viaFirst.exitCode()).isZero();
          assertThat(answer.get("servedBy").asText()).isNotEqualTo(advertised);
          continue;
        }
        failed++;
        assertThat(viaFirst.exitCode()).as(viaFirst.err()).isEqualTo(2);
        assertThat(answer.has("state")).isFalse();
        assertThat(answer.get("status").asInt()).isEqualTo(503);
        assertThat(answer.get("error").asText()).contains("subject " + subject).contains(advertised).contains("cannot be reached");
        assertThat(viaFirst.err()).contains("inspect: http://127.0.0.1:" + first.queryPort()).contains(advertised);
        Cli asText = Cli.run("inspect", "--token-file", tokenFile.toString(), "--subject", subject, "--endpoint", "http://127.0.0.1:" + first.queryPort());
        assertThat(asText.exitCode()).isEqualTo(2);
        assertThat(asText.out()).contains("  error: ").contains(advertised).doesNotContain("nothing held");
      }
      assertThat(failed).as("subjects in the unreachable instance's partition").isPositive();
    }
  }

  private static JsonNode inspect(String subject, RunningWorker via) throws Exception {
    Cli cli = Cli.run("inspect", "--token-file", tokenFile.toString(), "--subject", subject, "--endpoint", "http://" + endpoint(host(via), via), "--json");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    return JSON.readTree(cli.out());
  }

  private static RunningWorker startProbe(String instance, String bindHost, String advertisedHost, String queryPort)
      throws Exception {
    ProbeWorker app = new ProbeWorker();
    RunningWorker worker = WorkerRunner.start(app, WorkerRunner.settings(app, java.util.Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), state.resolve(instance).toString(),
        CoreSettings.HTTP_HOST.key(), bindHost,
        CoreSettings.HTTP_ADVERTISED_HOST.key(), advertisedHost,
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.HTTP_QUERY_PORT.key(), queryPort,
        CoreSettings.HTTP_QUERY_TOKEN.key(), TOKEN)));
    assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
    return worker;
  }

  /** After a member joins, the group rebalances: wait until each member runs with a partition of its own. */
  private static void awaitEveryInstanceOwnsAPartition(RunningWorker... workers) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (RunningWorker w : workers) {
        if (!"RUNNING".equals(w.state().name()) || w.streams().metadataForLocalThreads().stream()
            .allMatch(t -> t.activeTasks().isEmpty())) {
          return false;
        }
      }
      return true;
    });
  }

  private static String host(RunningWorker worker) {
    return worker == second ? "127.0.0.2" : "127.0.0.1";
  }

  private static String endpoint(String host, RunningWorker worker) {
    return host + ":" + worker.queryPort();
  }
}
