package io.authlifecycle.ocsf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.audit.AuditCatalog;
import io.authlifecycle.core.audit.OcsfActivity;
import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;

/**
 * One {@link AuditEvent} as an OCSF 1.8.0 event: the class and activity from {@link AuditCatalog}
 * (for activity 99 the action's own caption), the status with the reason as its detail, the chain
 * position in {@code metadata.sequence}, the class's own objects (user, actor, factor, entity) and
 * every product field the class has no place for under {@code unmapped}, so nothing is lost.
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
    OcsfActivity activity = AuditCatalog.activityOf(event.getAction());
    String caption = AuditCatalog.caption(event.getAction());
    OcsfStatus status = OcsfStatus.of(event);
    ObjectNode out = json.createObjectNode();
    out.put("activity_id", activity.activityId());
    out.put("activity_name", activity.isOther() ? caption : activity.activityName());
    out.put("category_uid", activity.categoryUid());
    out.put("category_name", activity.categoryName());
    out.put("class_uid", activity.classUid());
    out.put("class_name", activity.className());
    out.put("type_uid", activity.typeUid());
    out.put("type_name", activity.className() + ": " + activity.activityName());
    out.put("severity_id", severityId(event.getSeverity()));
    out.put("severity", SEVERITIES[severityId(event.getSeverity())]);
    out.put("status_id", status.id());
    out.put("status", status.caption());
    if (event.getReason() != null) {
      out.put("status_detail", event.getReason());
    }
    out.put("time", event.getEventTime().toEpochMilli());
    out.put("message", activity == OcsfActivity.APPLICATION_ERROR && event.getReason() != null ? event.getReason()
        : caption + (event.getReason() == null ? "" : ": " + event.getReason()));
    out.set("metadata", metadata(event));

    switch (activity.classUid()) {
      case 3001:
        out.set("user", OcsfObjects.user(event.getSubjectId()));
        if (event.getFactorType() != null || event.getAuthenticatorId() != null
            || activity == OcsfActivity.MFA_FACTOR_ENABLE || activity == OcsfActivity.MFA_FACTOR_DISABLE) {
          out.set("auth_factors", OcsfObjects.authFactors(event));
        }
        out.set("actor", OcsfObjects.actor(event));
        break;
      case 3004:
        out.set("entity", OcsfObjects.entity(activity, event));
        out.set("actor", OcsfObjects.actor(event));
        break;
      default:
        // Application Error: the record the feed received, as the raw data the error is about.
        String raw = unmapped(event).toString();
        out.put("raw_data", raw);
        out.put("raw_data_size", raw.getBytes(StandardCharsets.UTF_8).length);
        break;
    }
    out.set("unmapped", unmapped(event));
    return out;
  }

  public String toJson(AuditEvent event) {
    return map(event).toString();
  }

  private ObjectNode metadata(AuditEvent event) {
    ObjectNode metadata = json.createObjectNode();
    metadata.put("version", OCSF_VERSION);
    metadata.put("uid", event.getEventId());
    metadata.put("log_name", Topics.AUDIT.name());
    metadata.put("sequence", event.getSequence());
    if (event.getCorrelationId() != null) {
      metadata.put("correlation_uid", event.getCorrelationId());
    }
    ObjectNode product = metadata.putObject("product");
    product.put("name", PRODUCT);
    product.put("vendor_name", PRODUCT);
    product.put("version", productVersion);
    product.putObject("feature").put("name", event.getWorker());
    return metadata;
  }

  /** The product's own fields: what the record says in its own words, and the chain's links. */
  private ObjectNode unmapped(AuditEvent event) {
    ObjectNode u = json.createObjectNode();
    u.put("action", event.getAction());
    u.put("outcome", event.getOutcome().name());
    u.put("worker", event.getWorker());
    u.put("subject_id", event.getSubjectId());
    putIfPresent(u, "policy_ref", event.getPolicyRef());
    u.set("control_refs", json.valueToTree(event.getControlRefs()));
    putIfPresent(u, "causation_id", event.getCausationId());
    u.set("command_ids", json.valueToTree(event.getCommandIds()));
    putIfPresent(u, "authenticator_id", event.getAuthenticatorId());
    if (event.getFactorType() != null) {
      u.put("factor_type", event.getFactorType().name());
    }
    u.set("details", json.valueToTree(new java.util.TreeMap<>(event.getDetails())));
    u.put("prev_hash", event.getPrevHash());
    u.put("hash", event.getHash());
    return u;
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static final String[] SEVERITIES = {"Unknown", "Informational", "Low", "Medium", "High", "Critical"};

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
}
