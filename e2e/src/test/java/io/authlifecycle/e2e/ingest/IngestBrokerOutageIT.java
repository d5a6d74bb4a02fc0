package io.authlifecycle.e2e.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.deploy.KafkaBroker;
import io.authlifecycle.deploy.StackTopics;
import io.authlifecycle.ingest.IngestSettings;
import io.authlifecycle.ingest.RunningIngest;
import io.authlifecycle.ingest.testing.ScimTestClient;
import io.authlifecycle.ingest.testing.TestIngest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the ingest runs: every write is answered 503 and none is lost or
 * doubled; once the broker is back on the same data, the client's retry is taken exactly once.
 */
class IngestBrokerOutageIT {

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void writesDuringAnOutageAre503AndTheirRetriesAfterwardsArePublishedExactlyOnce() throws Exception {
    int port;
    int controllerPort;
    try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
      port = s1.getLocalPort();
      controllerPort = s2.getLocalPort();
    }
    Path home = dir.resolve("kafka");
    KafkaBroker broker = KafkaBroker.start(home, port, controllerPort, Duration.ofMinutes(3));
    String bootstrap = broker.bootstrapServers();
    RunningIngest ingest = null;
    try {
      StackTopics.ensure(Map.of("bootstrap.servers", bootstrap));
      ingest = TestIngest.awaitReady(TestIngest.start(bootstrap, Map.of(IngestSettings.KAFKA_TIMEOUT.key(), "2s")),
          Duration.ofSeconds(60));
      assertThat(createUser(ingest, "outage-before").statusCode()).isEqualTo(201);

      broker.close();
      List<Integer> during = new ArrayList<>();
      during.add(createUser(ingest, "outage-during").statusCode());
      during.add(createUser(ingest, "outage-during").statusCode());
      broker = KafkaBroker.start(home, port, controllerPort, Duration.ofMinutes(3));
      int retried = 503;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (retried == 503 && System.nanoTime() < deadline) {
        retried = createUser(ingest, "outage-during").statusCode();
      }
      int again = createUser(ingest, "outage-during").statusCode();

      assertThat(during).containsOnly(503);
      assertThat(retried).isEqualTo(201);
      assertThat(again).isEqualTo(409);
      List<WorkerEvent> events = TestIngest.committed(bootstrap, Topics.HR_WORKER_EVENTS);
      assertThat(events).extracting(WorkerEvent::getSubjectId).containsExactlyInAnyOrder("outage-before", "outage-during");
      assertThat(events).extracting(WorkerEvent::getType).containsOnly(WorkerEventType.JOINER);
      List<AuditEvent> audit = TestIngest.committed(bootstrap, Topics.AUDIT);
      assertThat(audit).extracting(AuditEvent::getSubjectId).containsExactlyInAnyOrder("outage-before", "outage-during");
      assertThat(AuditChainVerifier.verify(audit).breaks()).isEmpty();
    } finally {
      if (ingest != null) {
        ingest.close();
      }
      broker.close();
    }
  }

  private HttpResponse<String> createUser(RunningIngest ingest, String subject) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/scim/v2/Users"))
        .header("Authorization", "Bearer " + TestIngest.TOKEN).header("Content-Type", "application/scim+json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(
            ScimTestClient.user(subject, "engineer", false, "iv-" + subject).getObjectNode().toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
