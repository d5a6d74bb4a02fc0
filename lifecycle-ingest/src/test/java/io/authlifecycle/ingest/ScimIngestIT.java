package io.authlifecycle.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ingest.scim.ScimSchemas;
import io.authlifecycle.ingest.testing.ScimTestClient;
import io.authlifecycle.ingest.testing.TestIngest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real SCIM client (UnboundID's SDK) against the running ingest on a real broker: what HR's topic then holds. */
class ScimIngestIT {

  private static KafkaTestCluster kafka;
  private RunningIngest ingest;
  private ScimTestClient client;
  private ScimService scim;

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
    client = new ScimTestClient(ingest.baseUrl(), TestIngest.TOKEN);
    scim = client.scim();
  }

  @AfterEach
  void stop() {
    client.close();
    ingest.close();
  }

  @Test
  void createMoveDeactivateAndReactivateBecomeJoinerMoverLeaverAndRehire() throws Exception {
    GenericScimResource created = scim.create("Users", ScimTestClient.user("alice", "engineer", false, "iv-alice-1"));
    assertThat(created.getId()).isNotBlank();
    assertThat(created.getMeta().getVersion()).isEqualTo("W/\"1\"");

    GenericScimResource moved = scim.modifyRequest(created)
        .replaceValue("roles", JsonUtils.getJsonNodeFactory().arrayNode().add(
            JsonUtils.getJsonNodeFactory().objectNode().put("value", "admin").put("primary", true)))
        .replaceValue(ScimSchemas.LIFECYCLE + ":privileged", true)
        .invoke();
    GenericScimResource replayed = scim.replaceRequest(moved).invoke();
    GenericScimResource left = scim.modifyRequest(replayed).replaceValue("active", false).invoke();
    GenericScimResource back = scim.modifyRequest(left).replaceValue("active", true)
        .replaceValue(ScimSchemas.LIFECYCLE + ":identityVerification", ScimTestClient.verification("iv-alice-2", "IAL3"))
        .invoke();

    assertThat(List.of(moved, replayed, left, back)).extracting(r -> r.getMeta().getVersion())
        .containsExactly("W/\"2\"", "W/\"2\"", "W/\"3\"", "W/\"4\"");
    List<WorkerEvent> events = hrEventsOf("alice");
    assertThat(events).extracting(WorkerEvent::getType, WorkerEvent::getRole, WorkerEvent::getPrivileged)
        .containsExactly(tuple(WorkerEventType.JOINER, "engineer", false), tuple(WorkerEventType.MOVER, "admin", true),
            tuple(WorkerEventType.LEAVER, "admin", true), tuple(WorkerEventType.REHIRE, "admin", true));
    assertThat(events).extracting(WorkerEvent::getStatedPrivileged).containsExactly(false, true, true, true);
    WorkerEvent joiner = events.get(0);
    assertThat(joiner.getIdentityType()).isEqualTo(IdentityType.HUMAN);
    assertThat(joiner.getManagerId()).isEqualTo("mgr-alice");
    assertThat(joiner.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.PUSH, Channel.PERSONAL_EMAIL);
    assertThat(joiner.getIdentityVerification().getVerificationId()).isEqualTo("iv-alice-1");
    assertThat(joiner.getIdentityVerification().getLevel()).isEqualTo(IdentityAssuranceLevel.IAL2);
    assertThat(joiner.getSource()).isEqualTo("scim:" + TestIngest.CLIENT);
    assertThat(events.get(2).getEffectiveTime()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    assertThat(events.get(3).getIdentityVerification().getVerificationId()).isEqualTo("iv-alice-2");
    assertThat(events).extracting(WorkerEvent::getEventId).doesNotHaveDuplicates();

    List<AuditEvent> audit = TestIngest.committed(kafka.bootstrapServers(), Topics.AUDIT).stream()
        .filter(a -> a.getSubjectId().equals("alice")).toList();
    assertThat(audit).extracting(AuditEvent::getAction).containsOnly(IngestAudit.HR_EVENT_PUBLISHED).hasSize(4);
    assertThat(audit).extracting(AuditEvent::getCausationId).containsExactlyElementsOf(
        events.stream().map(WorkerEvent::getEventId).toList());
    assertThat(audit.get(0).getDetails()).containsEntry("client", TestIngest.CLIENT)
        .containsEntry("authentication", "bearer").containsEntry("request", "POST /Users");
    assertThat(AuditChainVerifier.verify(audit).breaks()).isEmpty();
  }

  @Test
  void aFutureDatedDeactivationIsAPendingLeaverThatAReactivationCancels() throws Exception {
    GenericScimResource created = scim.create("Users", ScimTestClient.user("bob", "engineer", false, "iv-bob"));
    Instant lastDay = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    GenericScimResource leaving = scim.modifyRequest(created).replaceValue("active", false)
        .replaceValue(ScimSchemas.LIFECYCLE + ":effectiveTime", lastDay.toString()).invoke();
    scim.modifyRequest(leaving).replaceValue("active", true).invoke();

    List<WorkerEvent> events = hrEventsOf("bob");
    assertThat(events).extracting(WorkerEvent::getType).containsExactly(WorkerEventType.JOINER, WorkerEventType.LEAVER,
        WorkerEventType.LEAVER_CANCELLED);
    assertThat(events.get(1).getEffectiveTime()).isEqualTo(lastDay);
  }

  @Test
  void aUserProvisionedInactiveJoinsWhenActivatedAndADeleteIsAnImmediateLeaverAfterWhichACreateIsARehire()
      throws Exception {
    GenericScimResource early = ScimTestClient.user("carol", "analyst", false, "iv-carol");
    ((ObjectNode) early.getObjectNode()).put("active", false);
    GenericScimResource provisioned = scim.create("Users", early);
    scim.modifyRequest(provisioned).replaceValue("displayName", "Carol").invoke();
    GenericScimResource active = scim.modifyRequest(scim.retrieve(provisioned)).replaceValue("active", true).invoke();
    scim.deleteRequest(active).invoke();
    GenericScimResource again = scim.create("Users", ScimTestClient.user("carol", "analyst", false, "iv-carol-2"));

    assertThat(again.getId()).isEqualTo(provisioned.getId());
    assertThat(hrEventsOf("carol")).extracting(WorkerEvent::getType, WorkerEvent::getImmediate).containsExactly(
        tuple(WorkerEventType.JOINER, false), tuple(WorkerEventType.LEAVER, true), tuple(WorkerEventType.REHIRE, false));
    List<AuditEvent> audit = TestIngest.committed(kafka.bootstrapServers(), Topics.AUDIT).stream()
        .filter(a -> a.getSubjectId().equals("carol")).toList();
    assertThat(audit).extracting(AuditEvent::getAction).containsExactly(IngestAudit.SCIM_RECORDED,
        IngestAudit.SCIM_RECORDED, IngestAudit.HR_EVENT_PUBLISHED, IngestAudit.HR_EVENT_PUBLISHED,
        IngestAudit.HR_EVENT_PUBLISHED);
  }

  @Test
  void servesTheDiscoveryEndpointsAndFiltersUsersByUserName() throws Exception {
    scim.create("Users", ScimTestClient.user("dave", "engineer", false, null));

    ServiceProviderConfigResource config = scim.getServiceProviderConfig();
    assertThat(config.getPatch().isSupported()).isTrue();
    assertThat(config.getEtag().isSupported()).isTrue();
    assertThat(config.getBulk().isSupported()).isFalse();
    assertThat(config.getAuthenticationSchemes()).extracting(s -> s.getType()).contains("oauthbearertoken");
    ListResponse<SchemaResource> schemas = scim.getSchemas();
    assertThat(schemas.getResources()).extracting(SchemaResource::getId)
        .containsExactly(ScimSchemas.CORE, ScimSchemas.ENTERPRISE, ScimSchemas.LIFECYCLE);
    assertThat(scim.getSchema(ScimSchemas.LIFECYCLE).getAttributes()).extracting(a -> a.getName())
        .contains("identityVerification", "privileged", "channels", "ownedServiceIdentities", "effectiveTime");
    ResourceTypeResource users = scim.getResourceType("User");
    assertThat(users.getEndpoint().toString()).isEqualTo("/Users");
    // The SDK keeps a resource type's extensions in a hash map: their order on the wire carries no meaning.
    assertThat(users.getSchemaExtensions()).extracting(e -> e.getSchema().toString(), e -> e.isRequired())
        .containsExactlyInAnyOrder(tuple(ScimSchemas.ENTERPRISE, true), tuple(ScimSchemas.LIFECYCLE, false));

    ListResponse<GenericScimResource> found = scim.searchRequest("Users")
        .filter("userName eq \"dave@example.com\"").invoke(GenericScimResource.class);
    assertThat(found.getTotalResults()).isEqualTo(1);
    assertThat(found.getResources().get(0).getValue(ScimSchemas.ENTERPRISE + ":employeeNumber").asText()).isEqualTo("dave");
    assertThat(scim.searchRequest("Users").filter("userName eq \"nobody@example.com\"")
        .invoke(GenericScimResource.class).getTotalResults()).isZero();
  }

  @Test
  void aRestartedIngestKeepsVersionsSoAReplayedPutStillWritesNothing() throws Exception {
    GenericScimResource created = scim.create("Users", ScimTestClient.user("erin", "engineer", false, "iv-erin"));
    GenericScimResource moved = scim.modifyRequest(created).replaceValue("title", "lead").invoke();
    client.close();
    ingest.close();

    ingest = TestIngest.awaitReady(TestIngest.start(kafka.bootstrapServers(), Map.of()), Duration.ofSeconds(60));
    client = new ScimTestClient(ingest.baseUrl(), TestIngest.TOKEN);
    scim = client.scim();
    GenericScimResource replayed = scim.replaceRequest(
        URI.create(ingest.baseUrl() + "/scim/v2/Users/" + moved.getId()), moved).ifMatch().invoke();
    GenericScimResource next = scim.modifyRequest(replayed).replaceValue("active", false).invoke();

    assertThat(replayed.getMeta().getVersion()).isEqualTo("W/\"2\"");
    assertThat(next.getMeta().getVersion()).isEqualTo("W/\"3\"");
    assertThat(hrEventsOf("erin")).extracting(WorkerEvent::getType)
        .containsExactly(WorkerEventType.JOINER, WorkerEventType.MOVER, WorkerEventType.LEAVER);
  }

  private static List<WorkerEvent> hrEventsOf(String subject) {
    return TestIngest.committed(kafka.bootstrapServers(), Topics.HR_WORKER_EVENTS).stream()
        .filter(e -> e.getSubjectId().equals(subject)).toList();
  }

  private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
    return new org.assertj.core.data.TemporalUnitWithinOffset(d.toMillis(), ChronoUnit.MILLIS);
  }
}
