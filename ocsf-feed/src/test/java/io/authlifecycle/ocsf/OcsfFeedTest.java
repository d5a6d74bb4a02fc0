package io.authlifecycle.ocsf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OcsfFeedTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OcsfMapper MAPPER = new OcsfMapper("0.1.0");

  private final TopologyHarness harness = new TopologyHarness(new OcsfFeed());

  @AfterEach
  void close() {
    harness.close();
  }

  @ParameterizedTest(name = "{0} → class {1} activity {2} \"{3}\"")
  @CsvSource({
      "enrollment.factor.bound,          3001, 10, MFA Factor Enable",
      "mover.factor.revoke-requested,    3001, 11, MFA Factor Disable",
      "leaver.revocation.requested,      3001, 11, MFA Factor Disable",
      "mover.factor.suspend-requested,   3004, 12, Suspend",
      "mover.factor.resume-requested,    3004, 13, Resume",
      "leaver.completed,                 3001, 5,  Disable",
      "recovery.locked,                  3001, 9,  Lock",
      "recovery.unlocked,                3001, 12, Unlock",
      "enrollment.ticket.issued,         3004, 1,  Create",
      "mover.ticket.issue-requested,     3004, 1,  Create",
      "recovery.completed,               3004, 1,  Create",
      "mover.device.lost,                3004, 9,  Disable",
      "mover.device.stolen,              3004, 9,  Disable",
      "input.dead-lettered,              6008, 1,  General Error",
      "dlq.replayed,                     6008, 99, Dead Letter Replayed",
      "leaver.scheduled,                 3001, 99, Leaver Scheduled",
      "recovery.requested,               3001, 99, Recovery Requested",
      "nhi.human.mfa.refused,            3001, 99, NHI Human MFA Refused"})
  void projectsEachActionToItsOcsfClassAndActivityWithTheProductsOwnCaptionFor99(String action, int classUid,
      int activityId, String activityName) throws Exception {
    harness.pipe(Topics.AUDIT, "alice", audit(action, FactorType.HARDWARE_PASSKEY).build());

    JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));

    assertThat(OcsfSchemaCheck.violations(ocsf)).isEmpty();
    assertThat(ocsf.get("class_uid").asInt()).isEqualTo(classUid);
    assertThat(ocsf.get("category_uid").asInt()).isEqualTo(classUid / 1000);
    assertThat(ocsf.get("activity_id").asInt()).isEqualTo(activityId);
    assertThat(ocsf.get("activity_name").asText()).isEqualTo(activityName);
    assertThat(ocsf.get("type_uid").asLong()).isEqualTo(classUid * 100L + activityId);
    assertThat(ocsf.get("severity_id").asInt()).isEqualTo(4);
    assertThat(ocsf.get("time").asLong()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z").toEpochMilli());
    assertThat(ocsf.at("/metadata/product/name").asText()).isEqualTo("authn-lifecycle");
    assertThat(ocsf.at("/metadata/version").asText()).isEqualTo("1.8.0");
    assertThat(ocsf.at("/metadata/sequence").asLong()).isEqualTo(7);
    assertThat(ocsf.get("status_detail").asText()).isEqualTo("the reason");
    assertThat(ocsf.at("/unmapped/action").asText()).isEqualTo(action);
    assertThat(ocsf.at("/unmapped/subject_id").asText()).isEqualTo("alice");
    assertThat(ocsf.at("/unmapped/hash").asText()).isEqualTo("h");
  }

  @Test
  void everyCataloguedActionWithEveryOutcomeAndRecordShapeIsValidAgainstTheOcsf180Schema() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String action : AuditCatalog.all().keySet()) {
      for (AuditOutcome outcome : AuditOutcome.values()) {
        for (AuditEvent event : shapes(action, outcome)) {
          JsonNode ocsf = MAPPER.map(event);
          OcsfSchemaCheck.violations(ocsf).forEach(v -> problems.add(action + " " + outcome + ": " + v));
          checked++;
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).isGreaterThan(AuditCatalog.all().size() * AuditOutcome.values().length * 4 - 1);
  }

  @Test
  void everyCataloguedActionGoesThroughTheTopologyToAValidEvent() throws Exception {
    for (Map.Entry<String, OcsfActivity> entry : AuditCatalog.all().entrySet()) {
      harness.pipe(Topics.AUDIT, "alice", audit(entry.getKey(), FactorType.OTP_APP).build());
      JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));
      assertThat(OcsfSchemaCheck.violations(ocsf)).as(entry.getKey()).isEmpty();
      assertThat(ocsf.get("type_uid").asLong()).as(entry.getKey()).isEqualTo(entry.getValue().typeUid());
    }
    assertThat(AuditCatalog.all()).hasSizeGreaterThan(80);
  }

  @ParameterizedTest(name = "{0} → status {1} \"{2}\"")
  @CsvSource({"COMPLETED, 1, Success", "RECORDED, 1, Success", "FAILED, 2, Failure", "REFUSED, 2, Failure",
      "DEAD_LETTERED, 2, Failure", "REQUESTED, 99, Requested", "SCHEDULED, 99, Scheduled",
      "ESCALATED, 99, Escalated", "CANCELLED, 99, Cancelled", "EXPIRED, 99, Expired", "UNKNOWN, 0, Unknown"})
  void reportsTheOutcomeAsStatusWithTheProductsCaptionFor99(AuditOutcome outcome, int statusId, String status) {
    JsonNode ocsf = MAPPER.map(audit("leaver.scheduled", null).setOutcome(outcome).build());

    assertThat(ocsf.get("status_id").asInt()).isEqualTo(statusId);
    assertThat(ocsf.get("status").asText()).isEqualTo(status);
  }

  @Test
  void aDeadLetterIsAnApplicationErrorWithTheRecordInRawDataAndTheErrorAsMessage() {
    JsonNode ocsf = MAPPER.map(audit("input.dead-lettered", null).setOutcome(AuditOutcome.DEAD_LETTERED)
        .setReason("UNDECODABLE: not Avro").setDetails(Map.of("sourceTopic", "hr.worker-events.v1", "partition", "2",
            "offset", "41", "deadLetterTopic", "hr.worker-events.dlq.v1")).build());

    assertThat(ocsf.get("class_uid").asInt()).isEqualTo(6008);
    assertThat(ocsf.get("category_name").asText()).isEqualTo("Application Activity");
    assertThat(ocsf.get("message").asText()).isEqualTo("UNDECODABLE: not Avro");
    assertThat(ocsf.get("status_id").asInt()).isEqualTo(2);
    assertThat(ocsf.has("user")).isFalse();
    JsonNode raw = readTree(ocsf.get("raw_data").asText());
    assertThat(raw.at("/details/sourceTopic").asText()).isEqualTo("hr.worker-events.v1");
    assertThat(raw.at("/details/offset").asText()).isEqualTo("41");
    assertThat(ocsf.get("raw_data_size").asInt()).isEqualTo(ocsf.get("raw_data").asText().length());
    assertThat(OcsfSchemaCheck.violations(ocsf)).isEmpty();
  }

  @Test
  void aTicketIssuedIsAnEntityCreatedWithTheTicketAsTheEntity() {
    JsonNode ocsf = MAPPER.map(audit("enrollment.ticket.issued", null)
        .setDetails(Map.of("ticketId", "t-9", "purpose", "ONBOARDING")).build());

    assertThat(ocsf.get("entity")).isEqualTo(JSON.createObjectNode().put("uid", "t-9")
        .put("name", "ONBOARDING enrollment ticket").put("type_id", 99).put("type", "Enrollment Ticket")
        .set("user", JSON.createObjectNode().put("uid", "alice").put("name", "alice")));
  }

  @Test
  void aLostDeviceIsAnEntityDisabledWithTheDeviceAsTheEntity() {
    JsonNode ocsf = MAPPER.map(audit("mover.device.lost", null).setDetails(Map.of("deviceId", "laptop-7")).build());

    assertThat(ocsf.at("/entity/uid").asText()).isEqualTo("laptop-7");
    assertThat(ocsf.at("/entity/type_id").asInt()).isEqualTo(1);
    assertThat(ocsf.at("/entity/device/uid").asText()).isEqualTo("laptop-7");
    assertThat(ocsf.at("/entity/device/owner/uid").asText()).isEqualTo("alice");
  }

  @Test
  void aFactorDisableCarriesItsFactorWithTheAuthenticatorIdAsTheFactorsOwnDeviceNotItsProvider() {
    JsonNode ocsf = MAPPER.map(audit("mover.factor.revoke-requested", FactorType.SMS).build());

    assertThat(ocsf.get("auth_factors")).isEqualTo(JSON.createArrayNode().add(JSON.createObjectNode()
        .put("factor_type_id", 1).put("factor_type", "SMS")
        .set("device", JSON.createObjectNode().put("uid", "a-1").put("type_id", 99).put("type", "Authenticator"))));
  }

  @Test
  void aLeaversRevokeAllIsAFactorDisableOfAllFactors() {
    JsonNode ocsf = MAPPER.map(audit("leaver.revocation.requested", null)
        .setDetails(Map.of("revokeScope", "factors,backupCodes,openTickets")).build());

    assertThat(ocsf.at("/auth_factors/0/factor_type_id").asInt()).isEqualTo(99);
    assertThat(ocsf.at("/auth_factors/0/factor_type").asText()).isEqualTo("All Factors");
  }

  @Test
  void theRequesterOrApproverIsTheActorBesideTheDecidingWorker() {
    JsonNode ocsf = MAPPER.map(audit("recovery.requested", null).setWorker("recovery-worker")
        .setDetails(Map.of("requesterId", "helpdesk-3")).build());

    assertThat(ocsf.get("actor")).isEqualTo(JSON.createObjectNode().put("app_name", "recovery-worker")
        .set("user", JSON.createObjectNode().put("uid", "helpdesk-3").put("name", "helpdesk-3")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a leaver completed on a dry-run confirmation | leaver.completed | confirmedBy | CommandApplied c-1 (dry run)",
      "the gateway's dry-run audit                  | gateway.command.dry-run | adapter | dry-run",
      "a shadow action                              | gateway.command.shadow-applied | adapter | dry-run",
      "a dryRun detail                              | mover.factor.revoke-requested | dryRun | true",
      "a shadow detail                              | leaver.revocation.requested | shadow | true"})
  void aDryRunIsNeverASuccess(String what, String action, String key, String value) {
    JsonNode ocsf = MAPPER.map(audit(action, FactorType.OTP_APP).setOutcome(AuditOutcome.COMPLETED)
        .setDetails(Map.of(key, value)).build());

    assertThat(ocsf.get("status_id").asInt()).isEqualTo(99);
    assertThat(ocsf.get("status").asText()).isEqualTo("Shadow");
  }

  @Test
  void aRealConfirmationIsASuccessfulDisable() {
    JsonNode ocsf = MAPPER.map(audit("leaver.completed", null).setOutcome(AuditOutcome.COMPLETED)
        .setDetails(Map.of("confirmedBy", "CommandApplied c-1")).build());

    assertThat(ocsf.get("activity_name").asText()).isEqualTo("Disable");
    assertThat(ocsf.get("status_id").asInt()).isEqualTo(1);
  }

  @Test
  void theSchemaCheckRejectsWhatTheOldMappingWrote() {
    ObjectNode event = MAPPER.map(audit("leaver.scheduled", FactorType.OTP_APP).build());
    event.put("activity_name", "Other");
    event.put("status", "Done");
    ((ObjectNode) event.at("/auth_factors/0")).put("uid", "a-1");
    event.remove("user");
    event.put("type_uid", 300100);

    assertThat(OcsfSchemaCheck.violations(event)).containsExactlyInAnyOrder(
        "user: required, missing",
        "activity_name: \"Other\" for activity_id = 99; 99 wants the source's own value",
        "status: \"Done\" for status_id = 1; the caption is \"Success\"",
        "auth_factors[0].uid: not an attribute of this class or object",
        "type_uid: 300100, expected 300199");
  }

  @ParameterizedTest(name = "{0} → factor_type_id {1}")
  @CsvSource({"SMS, 1", "VOICE, 3", "PUSH_NUMBER_MATCHING, 5", "PUSH_PLAIN, 5", "PIV_SMART_CARD, 6", "OTP_APP, 7",
      "EMAIL_CODE, 8", "HARDWARE_PASSKEY, 10", "SYNCED_PASSKEY, 10", "RECOVERY_CODES, 99", "UNKNOWN, 0"})
  void mapsEveryFactorTypeToItsOcsfId(FactorType type, int id) {
    assertThat(OcsfObjects.factorTypeId(type)).isEqualTo(id);
  }

  @Test
  void garbageOnTheAuditTopicIsDeadLetteredAndOnlyItsDeadLetterAuditReachesTheSiem() throws Exception {
    harness.pipeRaw(Topics.AUDIT.name(), "alice", new byte[] {7, 7, 7});

    assertThat(harness.read(Topics.AUDIT.deadLetterTopic())).extracting(DeadLetter::getSourceTopic)
        .containsExactly("audit.lifecycle.v1");
    JsonNode ocsf = JSON.readTree(single(harness.read(Topics.AUDIT_OCSF)));
    assertThat(ocsf.at("/unmapped/action").asText()).isEqualTo("input.dead-lettered");
    assertThat(ocsf.get("class_uid").asInt()).isEqualTo(6008);
    assertThat(ocsf.get("status_id").asInt()).isEqualTo(2);
    assertThat(ocsf.at("/unmapped/details/deadLetterTopic").asText()).isEqualTo("audit.lifecycle.dlq.v1");
    assertThat(OcsfSchemaCheck.violations(ocsf)).isEmpty();
  }

  @Test
  void aSchemaValidAuditRecordUnderTheWrongKeyIsDeadLetteredNotProjected() {
    harness.pipe(Topics.AUDIT, "mallory", audit("leaver.completed", null).build());

    assertThat(single(harness.read(Topics.AUDIT.deadLetterTopic())).getError())
        .contains("record key 'mallory' does not match subjectId 'alice'");
    List<String> projected = harness.read(Topics.AUDIT_OCSF);
    assertThat(projected).extracting(json -> json.contains("\"action\":\"input.dead-lettered\"")).containsExactly(true);
  }

  /** The shapes a record of one action can take: with or without a factor, with the details workers add. */
  private static List<AuditEvent> shapes(String action, AuditOutcome outcome) {
    return List.of(
        audit(action, FactorType.HARDWARE_PASSKEY).setOutcome(outcome).build(),
        audit(action, null).setOutcome(outcome).setReason(null).setCorrelationId(null).setDetails(Map.of()).build(),
        audit(action, FactorType.RECOVERY_CODES).setOutcome(outcome).setAuthenticatorId(null)
            .setDetails(Map.of("ticketId", "t-1", "deviceId", "d-1", "requesterId", "hd-1", "revokeScope", "factors"))
            .build(),
        audit(action, FactorType.UNKNOWN).setOutcome(outcome).setSeverity(Severity.UNKNOWN)
            .setDetails(Map.of("confirmedBy", "CommandApplied c (dry run)", "approverId", "ap-1")).build());
  }

  private static AuditEvent.Builder audit(String action, FactorType factor) {
    return AuditEvent.newBuilder().setEventId("leaver-worker:alice:7").setEventTime(Instant.parse("2026-11-02T09:00:00Z"))
        .setWorker("leaver-worker").setSubjectId("alice").setAction(action).setOutcome(AuditOutcome.COMPLETED)
        .setSeverity(Severity.HIGH).setReason("the reason").setPolicyRef("NIST SP 800-63B-4 4.5").setFactorType(factor)
        .setCorrelationId("case-1").setAuthenticatorId(factor == null ? null : "a-1")
        .setDetails(Map.of("elapsedMillis", "12")).setSequence(7).setPrevHash("0".repeat(64)).setHash("h");
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
