package io.authlifecycle.ocsf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.topics.Topics;

/**
 * One {@link AuditEvent} as an OCSF 1.8.0 event: the class and activity from {@link AuditActions},
 * the required base fields, the user, the factor, and every product field the class has no place
 * for under {@code unmapped}, so nothing the SOC might need is lost.
 */
public final class OcsfMapper {

  public static final String OCSF_VERSION = "1.8.0";
  public static final String PRODUCT = "authn-lifecycle";

  private final ObjectMapper json = new ObjectMapper();
  private final String productVersion;

  public OcsfMapper(String productVersion) {
    this.productVersion = productVersion;
  }

  public ObjectNode map(AuditEvent event) {
    OcsfActivity activity = AuditActions.activityOf(event.getAction());
    ObjectNode out = json.createObjectNode();
    out.put("activity_id", activity.activityId());
    out.put("activity_name", activity.activityName());
    out.put("category_uid", OcsfActivity.CATEGORY_UID);
    out.put("category_name", OcsfActivity.CATEGORY_NAME);
    out.put("class_uid", activity.classUid());
    out.put("class_name", activity.className());
    out.put("type_uid", activity.typeUid());
    out.put("type_name", activity.className() + ": " + activity.activityName());
    out.put("severity_id", severityId(event.getSeverity()));
    out.put("severity", severityName(event.getSeverity()));
    out.put("status_id", statusId(event.getOutcome()));
    out.put("status", statusName(event.getOutcome()));
    out.put("time", event.getEventTime().toEpochMilli());
    out.put("message", event.getAction() + (event.getReason() == null ? "" : ": " + event.getReason()));

    ObjectNode metadata = out.putObject("metadata");
    metadata.put("version", OCSF_VERSION);
    metadata.put("uid", event.getEventId());
    metadata.put("log_name", Topics.AUDIT.name());
    if (event.getCorrelationId() != null) {
      metadata.put("correlation_uid", event.getCorrelationId());
    }
    ObjectNode product = metadata.putObject("product");
    product.put("name", PRODUCT);
    product.put("vendor_name", PRODUCT);
    product.put("version", productVersion);
    product.put("feature", json.createObjectNode().put("name", event.getWorker()));

    ObjectNode user = out.putObject("user");
    user.put("uid", event.getSubjectId());
    user.put("name", event.getSubjectId());

    if (event.getFactorType() != null) {
      ArrayNode factors = out.putArray("auth_factors");
      ObjectNode factor = factors.addObject();
      factor.put("factor_type_id", factorTypeId(event.getFactorType()));
      factor.put("factor_type", factorTypeName(event.getFactorType()));
      if (event.getAuthenticatorId() != null) {
        factor.put("provider", event.getAuthenticatorId());
      }
    }
    if (activity.classUid() == 3004) {
      ObjectNode entity = out.putObject("entity");
      entity.put("uid", event.getAuthenticatorId() == null ? event.getSubjectId() : event.getAuthenticatorId());
      entity.put("type", "Authenticator");
      entity.put("name", event.getFactorType() == null ? "authenticator" : event.getFactorType().name());
    }
    out.set("unmapped", unmapped(event));
    return out;
  }

  public String toJson(AuditEvent event) {
    return map(event).toString();
  }

  private ObjectNode unmapped(AuditEvent event) {
    ObjectNode u = json.createObjectNode();
    u.put("action", event.getAction());
    u.put("outcome", event.getOutcome().name());
    u.put("worker", event.getWorker());
    putIfPresent(u, "reason", event.getReason());
    putIfPresent(u, "policy_ref", event.getPolicyRef());
    u.set("control_refs", json.valueToTree(event.getControlRefs()));
    putIfPresent(u, "causation_id", event.getCausationId());
    u.set("command_ids", json.valueToTree(event.getCommandIds()));
    putIfPresent(u, "authenticator_id", event.getAuthenticatorId());
    u.set("details", json.valueToTree(event.getDetails()));
    u.put("sequence", event.getSequence());
    u.put("prev_hash", event.getPrevHash());
    u.put("hash", event.getHash());
    return u;
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** OCSF severity_id: 0 Unknown, 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
  static int severityId(Severity severity) {
    switch (severity) {
      case INFO: return 1;
      case LOW: return 2;
      case MEDIUM: return 3;
      case HIGH: return 4;
      case CRITICAL: return 5;
      default: return 0;
    }
  }

  private static String severityName(Severity severity) {
    String[] names = {"Unknown", "Informational", "Low", "Medium", "High", "Critical"};
    return names[severityId(severity)];
  }

  /** OCSF status_id: 1 Success, 2 Failure, 99 Other (a request or schedule is neither yet). */
  static int statusId(AuditOutcome outcome) {
    switch (outcome) {
      case COMPLETED: case RECORDED: case NOTIFIED: return 1;
      case FAILED: case REFUSED: case DEAD_LETTERED: case ANOMALY: return 2;
      default: return 99;
    }
  }

  private static String statusName(AuditOutcome outcome) {
    int id = statusId(outcome);
    return id == 1 ? "Success" : id == 2 ? "Failure" : "Other";
  }

  /** auth_factors[].factor_type_id from STANDARDS.md: 1 SMS, 3 Phone Call, 5 Push, 6 Hardware Token, 7 OTP, 8 Email, 9 U2F, 10 WebAuthn, 99 Other. */
  static int factorTypeId(FactorType type) {
    switch (type) {
      case SMS: return 1;
      case VOICE: return 3;
      case PUSH_NUMBER_MATCHING: case PUSH_PLAIN: return 5;
      case PIV_SMART_CARD: return 6;
      case OTP_APP: return 7;
      case EMAIL_CODE: return 8;
      case HARDWARE_PASSKEY: case SYNCED_PASSKEY: return 10;
      case RECOVERY_CODES: return 99;
      default: return 0;
    }
  }

  private static String factorTypeName(FactorType type) {
    switch (factorTypeId(type)) {
      case 1: return "SMS";
      case 3: return "Phone Call";
      case 5: return "Push Notification";
      case 6: return "Hardware Token";
      case 7: return "OTP";
      case 8: return "Email";
      case 10: return "WebAuthn";
      case 99: return "Other";
      default: return "Unknown";
    }
  }
}
