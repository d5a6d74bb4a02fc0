package io.authlifecycle.ocsf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.audit.AuditCatalog;
import io.authlifecycle.core.audit.OcsfActivity;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OcsfFeedTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> REQUIRED = List.of("activity_id", "category_uid", "class_uid", "type_uid",
      "severity_id", "time", "metadata", "user");

  private final TopologyHarness harness = new TopologyHarness(new OcsfFeed());

  @AfterEach
  void close() {
    harness.close();
  }

  @ParameterizedTest(name = "{0} → class {1} activity {2}")
  @CsvSource({
      "enrollment.factor.bound,          3001, 10",
      "mover.factor.revoke-requested,    3001, 11",
      "mover.factor.expire-requested,    3001, 11",
      "leaver.revocation.requested,      3001, 11",
      "mover.factor.suspend-requested,   3004, 12",
      "mover.factor.resume-requested,    3004, 13",
      "leaver.completed,                 3001, 5",
      "recovery.locked,                  3001, 9",
      "recovery.unlocked,                3001, 12",
      "enrollment.ticket.issued,         3001, 99",
      "input.dead-lettered,              3001, 99"})
  void projectsEachActionToItsOcsfClassWithEveryRequiredField(String action, int classUid, int activityId) throws Exception {
    harness.pipe(Topics.AUDIT, "alice", audit(action, FactorType.HARDWARE_PASSKEY));

    JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));

    REQUIRED.forEach(field -> assertThat(ocsf.has(field)).as(field).isTrue());
    assertThat(ocsf.get("category_uid").asInt()).isEqualTo(3);
    assertThat(ocsf.get("class_uid").asInt()).isEqualTo(classUid);
    assertThat(ocsf.get("activity_id").asInt()).isEqualTo(activityId);
    assertThat(ocsf.get("type_uid").asLong()).isEqualTo(classUid * 100L + activityId);
    assertThat(ocsf.get("severity_id").asInt()).isEqualTo(4);
    assertThat(ocsf.get("time").asLong()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z").toEpochMilli());
    assertThat(ocsf.at("/metadata/product/name").asText()).isEqualTo("authn-lifecycle");
    assertThat(ocsf.at("/metadata/product/version").asText()).isEqualTo("0.1.0");
    assertThat(ocsf.at("/metadata/version").asText()).isEqualTo("1.8.0");
    assertThat(ocsf.at("/user/uid").asText()).isEqualTo("alice");
    assertThat(ocsf.at("/auth_factors/0/factor_type_id").asInt()).isEqualTo(10);
    assertThat(ocsf.at("/unmapped/action").asText()).isEqualTo(action);
    assertThat(ocsf.at("/unmapped/policy_ref").asText()).isEqualTo("NIST SP 800-63B-4 4.5");
    assertThat(ocsf.at("/unmapped/hash").asText()).isEqualTo("h");
    if (classUid == 3004) {
      assertThat(ocsf.at("/entity/uid").asText()).isEqualTo("a-1");
    }
  }

  @ParameterizedTest(name = "{0} → factor_type_id {1}")
  @CsvSource({"SMS, 1", "VOICE, 3", "PUSH_NUMBER_MATCHING, 5", "PUSH_PLAIN, 5", "PIV_SMART_CARD, 6", "OTP_APP, 7",
      "EMAIL_CODE, 8", "HARDWARE_PASSKEY, 10", "SYNCED_PASSKEY, 10", "RECOVERY_CODES, 99", "UNKNOWN, 0"})
  void mapsEveryFactorTypeToItsOcsfId(FactorType type, int id) {
    assertThat(OcsfMapper.factorTypeId(type)).isEqualTo(id);
  }

  @Test
  void everyCataloguedActionProjectsToAValidOcsfEventWithEveryRequiredField() throws Exception {
    for (Map.Entry<String, OcsfActivity> entry : AuditCatalog.all().entrySet()) {
      harness.pipe(Topics.AUDIT, "alice", audit(entry.getKey(), FactorType.OTP_APP));
      JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));
      REQUIRED.forEach(field -> assertThat(ocsf.has(field)).as(entry.getKey() + " " + field).isTrue());
      assertThat(ocsf.get("class_uid").asInt()).as(entry.getKey()).isEqualTo(entry.getValue().classUid());
      assertThat(ocsf.get("activity_id").asInt()).as(entry.getKey()).isEqualTo(entry.getValue().activityId());
      assertThat(ocsf.get("type_uid").asLong()).isEqualTo(entry.getValue().classUid() * 100L + entry.getValue().activityId());
      assertThat(ocsf.at("/metadata/product/name").asText()).isNotBlank();
      assertThat(ocsf.at("/unmapped/action").asText()).isEqualTo(entry.getKey());
    }
    assertThat(AuditCatalog.all()).hasSizeGreaterThan(80);
  }

  @Test
  void anAuditRecordWithoutAFactorHasNoAuthFactors() throws Exception {
    harness.pipe(Topics.AUDIT, "alice", audit("leaver.revocation.requested", null));

    JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));

    assertThat(ocsf.has("auth_factors")).isFalse();
    assertThat(ocsf.at("/unmapped/details/elapsedMillis").asText()).isEqualTo("12");
  }

  @Test
  void garbageOnTheAuditTopicIsDeadLetteredAndOnlyItsDeadLetterAuditReachesTheSiem() throws Exception {
    harness.pipeRaw(Topics.AUDIT.name(), "alice", new byte[] {7, 7, 7});

    assertThat(harness.read(Topics.AUDIT.deadLetterTopic())).extracting(DeadLetter::getSourceTopic)
        .containsExactly("audit.lifecycle.v1");
    JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));
    assertThat(ocsf.at("/unmapped/action").asText()).isEqualTo("input.dead-lettered");
    assertThat(ocsf.get("status_id").asInt()).isEqualTo(2);
    assertThat(ocsf.at("/unmapped/details/deadLetterTopic").asText()).isEqualTo("audit.lifecycle.dlq.v1");
  }

  @Test
  void aSchemaValidAuditRecordUnderTheWrongKeyIsDeadLetteredNotProjected() {
    harness.pipe(Topics.AUDIT, "mallory", audit("leaver.completed", null));

    assertThat(single(harness.read(Topics.AUDIT.deadLetterTopic())).getError())
        .contains("record key 'mallory' does not match subjectId 'alice'");
    List<String> projected = harness.read(Topics.AUDIT_OCSF);
    assertThat(projected).extracting(json -> json.contains("\"action\":\"input.dead-lettered\"")).containsExactly(true);
  }

  private static AuditEvent audit(String action, FactorType factor) {
    return AuditEvent.newBuilder().setEventId("leaver-worker:alice:1").setEventTime(Instant.parse("2026-11-02T09:00:00Z"))
        .setWorker("leaver-worker").setSubjectId("alice").setAction(action).setOutcome(AuditOutcome.COMPLETED)
        .setSeverity(Severity.HIGH).setPolicyRef("NIST SP 800-63B-4 4.5").setFactorType(factor)
        .setAuthenticatorId(factor == null ? null : "a-1").setDetails(Map.of("elapsedMillis", "12"))
        .setSequence(1).setPrevHash("0".repeat(64)).setHash("h").build();
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
