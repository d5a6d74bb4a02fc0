package io.authlifecycle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ingest.testing.ScimTestClient;
import io.authlifecycle.ingest.testing.TestIngest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest's HTTP contract on a real broker, with a plain HTTP client: the webhook for every device
 * state, and every kind of bad request answered with its status and a SCIM error body while nothing
 * reaches the topics (read committed to their end).
 */
class IngestRequestsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static KafkaTestCluster kafka;
  private final HttpClient http = HttpClient.newHttpClient();
  private RunningIngest ingest;

  @BeforeAll
  static void broker() throws Exception {
    kafka = KafkaTestCluster.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @BeforeEach
  void start() throws Exception {
    ingest = TestIngest.awaitReady(TestIngest.start(kafka.bootstrapServers(), Map.of()), Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  @Test
  void everyDeviceStateBecomesADeviceEventKeyedByDeviceAndARetryWritesNothing() throws Exception {
    List<DeviceEventType> states = Arrays.stream(DeviceEventType.values()).filter(t -> t != DeviceEventType.UNKNOWN).toList();
    Instant time = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    for (DeviceEventType state : states) {
      HttpResponse<String> accepted = post("/mdm/devices/events", device("dev-" + state, "frank", state.name(), time));
      assertThat(accepted.statusCode()).as(state.name()).isEqualTo(202);
      assertThat(JSON.readTree(accepted.body()).path("status").asText()).isEqualTo("accepted");
    }
    HttpResponse<String> retried = post("/mdm/devices/events", device("dev-LOST", "frank", "LOST", time));
    HttpResponse<String> intune = post("/mdm/devices/events", device("dev-intune", "frank", "intune:enableLostMode", time));

    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(retried.body()).path("status").asText()).isEqualTo("duplicate");
    assertThat(intune.statusCode()).isEqualTo(202);
    List<DeviceEvent> events = TestIngest.committed(kafka.bootstrapServers(), Topics.MDM_DEVICE_EVENTS).stream()
        .filter(e -> e.getOwnerSubjectId().equals("frank")).toList();
    assertThat(events).hasSize(states.size() + 1);
    assertThat(events.stream().filter(e -> !e.getDeviceId().equals("dev-intune")).map(DeviceEvent::getType).toList())
        .containsExactlyInAnyOrderElementsOf(states);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getEventTime()).isEqualTo(time);
      assertThat(e.getSource()).isEqualTo("mdm:" + TestIngest.CLIENT + ":test-mdm");
      assertThat(e.getReason()).isEqualTo("reported by the MDM");
    });
    assertThat(events.stream().filter(e -> e.getDeviceId().equals("dev-intune")).findFirst().orElseThrow().getType())
        .isEqualTo(DeviceEventType.LOST);
    List<AuditEvent> audit = TestIngest.committed(kafka.bootstrapServers(), Topics.AUDIT).stream()
        .filter(a -> a.getSubjectId().equals("frank")).toList();
    assertThat(audit).hasSize(states.size() + 1).allMatch(a -> a.getAction().equals(IngestAudit.DEVICE_EVENT_PUBLISHED));
    assertThat(AuditChainVerifier.verify(audit).breaks()).isEmpty();
  }

  @Test
  void badScimRequestsGetTheirStatusAndAScimErrorAndPublishNothing() throws Exception {
    int earlierRefusals = refusals().size();
    String good = ScimTestClient.user("gina", "engineer", false, "iv-gina").getObjectNode().toString();
    ObjectNode unknown = (ObjectNode) JSON.readTree(good);
    unknown.put("shoeSize", 42);
    ObjectNode wrongType = (ObjectNode) JSON.readTree(good);
    wrongType.put("active", "yes");
    ObjectNode noEmployeeNumber = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) noEmployeeNumber.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")).remove("employeeNumber");
    ObjectNode badLevel = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) badLevel.at("/urn:ietf:params:scim:schemas:extension:authlifecycle:2.0:User/identityVerification"))
        .put("level", "IAL9");
    ObjectNode farFuture = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) farFuture.get("urn:ietf:params:scim:schemas:extension:authlifecycle:2.0:User"))
        .put("effectiveTime", Instant.now().plus(Duration.ofDays(800)).toString());

    assertError(post("/scim/v2/Users", "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\", "), 400, "invalidSyntax");
    assertError(post("/scim/v2/Users", unknown.toString()), 400, "invalidSyntax");
    assertError(post("/scim/v2/Users", wrongType.toString()), 400, "invalidSyntax");
    assertError(post("/scim/v2/Users", noEmployeeNumber.toString()), 400, "invalidValue");
    // The SDK's schema checker holds values to the schema's canonical values.
    assertError(post("/scim/v2/Users", badLevel.toString()), 400, "invalidSyntax");
    assertError(post("/scim/v2/Users", farFuture.toString()), 400, "invalidValue");
    assertError(send(request("/scim/v2/Users", good).header("Authorization", "Bearer not-the-token-at-all")), 401, null);
    assertError(send(HttpRequest.newBuilder(uri("/scim/v2/Users")).POST(HttpRequest.BodyPublishers.ofString(good))
        .header("Content-Type", "application/scim+json")), 401, null);
    String huge = good.replace("\"displayName\":\"gina\"", "\"displayName\":\"" + "g".repeat(70_000) + "\"");
    assertError(post("/scim/v2/Users", huge), 413, null);

    assertThat(hrEventsOf("gina")).isEmpty();
    List<AuditEvent> chain = refusals();
    List<AuditEvent> refusals = chain.subList(earlierRefusals, chain.size());
    assertThat(refusals).hasSize(6).allMatch(a -> a.getAction().equals(IngestAudit.REQUEST_REFUSED));
    assertThat(refusals.get(3).getReason()).contains("employeeNumber");
    assertThat(AuditChainVerifier.verify(chain).breaks()).isEmpty();

    HttpResponse<String> created = post("/scim/v2/Users", good);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("ETag")).hasValue("W/\"1\"");
    String location = created.headers().firstValue("Location").orElseThrow();
    assertError(post("/scim/v2/Users", good), 409, "uniqueness");
    assertError(send(HttpRequest.newBuilder(URI.create(location)).header("Authorization", "Bearer " + TestIngest.TOKEN)
        .header("If-Match", "W/\"7\"").header("Content-Type", "application/scim+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}"))), 412, null);
    assertError(send(HttpRequest.newBuilder(URI.create(location)).header("Authorization", "Bearer " + TestIngest.TOKEN)
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"shoeSize\",\"value\":42}]}"))), 400, "invalidPath");
    assertThat(hrEventsOf("gina")).extracting(WorkerEvent::getType).extracting(Enum::name).containsExactly("JOINER");
  }

  @Test
  void badWebhookBodiesAreRefusedAndPublishNothing() throws Exception {
    Instant time = Instant.now();
    ObjectNode extra = device("dev-h", "hank", "LOST", time);
    extra.put("color", "blue");
    ObjectNode numberTime = device("dev-h", "hank", "LOST", time);
    numberTime.put("time", 1793610000000L);
    ObjectNode noOwner = device("dev-h", "hank", "LOST", time);
    noOwner.remove("owner");

    assertError(post("/mdm/devices/events", "{\"deviceId\": "), 400, "invalidSyntax");
    assertError(post("/mdm/devices/events", extra.toString()), 400, "invalidSyntax");
    assertError(post("/mdm/devices/events", numberTime.toString()), 400, "invalidSyntax");
    assertError(post("/mdm/devices/events", noOwner.toString()), 400, "invalidValue");
    assertError(post("/mdm/devices/events", device("dev-h", "hank", "MISPLACED", time).toString()), 400, "invalidValue");
    assertError(post("/mdm/devices/events", device("dev-h", "hank", "LOST", time.plus(Duration.ofDays(3))).toString()),
        400, "invalidValue");

    assertThat(TestIngest.committed(kafka.bootstrapServers(), Topics.MDM_DEVICE_EVENTS))
        .noneMatch(e -> e.getDeviceId().equals("dev-h"));
  }

  @Test
  void aClientOverItsRateIsAnswered429WithRetryAfter() throws Exception {
    ingest.close();
    ingest = TestIngest.awaitReady(TestIngest.start(kafka.bootstrapServers(), Map.of(
        IngestSettings.RATE_LIMIT.key(), "3", IngestSettings.RATE_PERIOD.key(), "1m")), Duration.ofSeconds(60));
    for (int i = 0; i < 3; i++) {
      assertThat(send(get("/scim/v2/ServiceProviderConfig")).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = send(get("/scim/v2/ServiceProviderConfig"));

    assertError(limited, 429, null);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
  }

  @Test
  void withKafkaUnavailableAWriteIsAnswered503AndTheIngestIsNotReady() throws Exception {
    ingest.close();
    int nobody;
    try (ServerSocket socket = new ServerSocket(0)) {
      nobody = socket.getLocalPort();
    }
    ingest = TestIngest.start("127.0.0.1:" + nobody, Map.of(IngestSettings.KAFKA_TIMEOUT.key(), "1s"));

    HttpResponse<String> write = post("/scim/v2/Users", ScimTestClient.user("ivan", "engineer", false, "iv-ivan")
        .getObjectNode().toString());
    HttpResponse<String> device = post("/mdm/devices/events", device("dev-i", "ivan", "LOST", Instant.now()).toString());

    assertError(write, 503, null);
    assertThat(write.headers().firstValue("Retry-After")).isPresent();
    assertError(device, 503, null);
    assertThat(send(HttpRequest.newBuilder(uri("/ready"))).statusCode()).isEqualTo(503);
    assertThat(send(HttpRequest.newBuilder(uri("/health"))).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountRequestsByStatusAndEventsByType() throws Exception {
    post("/scim/v2/Users", ScimTestClient.user("judy", "engineer", false, "iv-judy").getObjectNode().toString());
    post("/scim/v2/Users", "not json");

    String metrics = send(HttpRequest.newBuilder(uri("/metrics"))).body();

    assertThat(metrics).contains("lifecycle_ingest_requests_total{endpoint=\"scim\",method=\"POST\",status=\"201\",worker=\"lifecycle-ingest\"} 1.0")
        .contains("lifecycle_ingest_requests_total{endpoint=\"scim\",method=\"POST\",status=\"400\",worker=\"lifecycle-ingest\"} 1.0")
        .contains("lifecycle_ingest_events_total{topic=\"hr.worker-events.v1\",type=\"JOINER\",worker=\"lifecycle-ingest\"} 1.0")
        .contains("lifecycle_ingest_rejected_total{endpoint=\"scim\",reason=\"invalid\",worker=\"lifecycle-ingest\"} 1.0");
  }

  private static void assertError(HttpResponse<String> response, int status, String scimType) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(body.path("status").asText()).isEqualTo(String.valueOf(status));
    if (scimType != null) {
      assertThat(body.path("scimType").asText()).isEqualTo(scimType);
    }
    assertThat(body.path("detail").asText()).isNotBlank();
  }

  private static ObjectNode device(String deviceId, String owner, String state, Instant time) {
    return JSON.createObjectNode().put("deviceId", deviceId).put("owner", owner).put("state", state)
        .put("time", time.toString()).put("reason", "reported by the MDM").put("source", "test-mdm");
  }

  private HttpResponse<String> post(String path, ObjectNode body) throws Exception {
    return post(path, body.toString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return send(request(path, body).header("Authorization", "Bearer " + TestIngest.TOKEN));
  }

  private HttpRequest.Builder request(String path, String body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/scim+json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestIngest.TOKEN).GET();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create(ingest.baseUrl() + path);
  }

  /** The audit chain of the test client's refused requests. */
  private static List<AuditEvent> refusals() {
    return TestIngest.committed(kafka.bootstrapServers(), Topics.AUDIT).stream()
        .filter(a -> a.getSubjectId().equals("client:" + TestIngest.CLIENT)).toList();
  }

  private static List<WorkerEvent> hrEventsOf(String subject) {
    return TestIngest.committed(kafka.bootstrapServers(), Topics.HR_WORKER_EVENTS).stream()
        .filter(e -> e.getSubjectId().equals(subject)).toList();
  }
}
