package io.authlifecycle.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.audit.OcsfActivity;
import java.util.List;

/** The OCSF 1.8.0 objects an audit record fills: user, actor, auth_factor and managed_entity. */
final class OcsfObjects {

  /** Details that name the person who asked for or decided on the action, in order of precedence. */
  private static final List<String> PERSON_DETAILS = List.of("approverId", "requesterId", "operator");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OcsfObjects() {}

  static ObjectNode user(String uid) {
    return JSON.objectNode().put("uid", uid).put("name", uid);
  }

  /** Who acted: the worker that decided, and the requester, approver or operator where the record names one. */
  static ObjectNode actor(AuditEvent event) {
    ObjectNode actor = JSON.objectNode().put("app_name", event.getWorker());
    for (String key : PERSON_DETAILS) {
      String person = event.getDetails().get(key);
      if (person != null && !person.isBlank()) {
        actor.set("user", user(person));
        break;
      }
    }
    return actor;
  }

  /**
   * The factor an Account Change record is about. OCSF 1.8.0's auth_factor has no id of its own, so
   * the authenticator is its {@code device}: uid the authenticator id, type Other "Authenticator".
   * A revocation of everything (a leaver) names no single factor: 99 "All Factors".
   */
  static ArrayNode authFactors(AuditEvent event) {
    ObjectNode factor = JSON.objectNode();
    FactorType type = event.getFactorType();
    if (type != null) {
      factor.put("factor_type_id", factorTypeId(type));
      factor.put("factor_type", factorTypeName(factorTypeId(type)));
    } else if (event.getAuthenticatorId() == null && event.getDetails().containsKey("revokeScope")) {
      factor.put("factor_type_id", 99);
      factor.put("factor_type", "All Factors");
    } else {
      factor.put("factor_type_id", 0);
      factor.put("factor_type", "Unknown");
    }
    if (event.getAuthenticatorId() != null) {
      factor.set("device", JSON.objectNode().put("uid", event.getAuthenticatorId())
          .put("type_id", 99).put("type", "Authenticator"));
    }
    return JSON.arrayNode().add(factor);
  }

  /** The managed entity of an Entity Management record: the ticket issued, the device lost, the factor suspended. */
  static ObjectNode entity(OcsfActivity activity, AuditEvent event) {
    ObjectNode entity = JSON.objectNode();
    switch (activity) {
      case ENTITY_CREATE: {
        String ticketId = event.getDetails().get("ticketId");
        String purpose = event.getDetails().getOrDefault("purpose",
            event.getAction().startsWith("recovery.") ? "RECOVERY" : null);
        entity.put("uid", ticketId != null ? ticketId : event.getEventId());
        entity.put("name", purpose == null ? "enrollment ticket" : purpose + " enrollment ticket");
        entity.put("type_id", 99).put("type", "Enrollment Ticket");
        entity.set("user", user(event.getSubjectId()));
        return entity;
      }
      case ENTITY_DISABLE: {
        String deviceId = event.getDetails().getOrDefault("deviceId", event.getSubjectId());
        entity.put("uid", deviceId).put("name", deviceId).put("type_id", 1).put("type", "Device");
        entity.set("device", JSON.objectNode().put("uid", deviceId).put("type_id", 0).put("type", "Unknown")
            .set("owner", user(event.getSubjectId())));
        return entity;
      }
      default: {
        FactorType type = event.getFactorType();
        entity.put("uid", event.getAuthenticatorId() != null ? event.getAuthenticatorId() : event.getSubjectId());
        entity.put("name", type == null ? "authenticator" : type.name());
        entity.put("type_id", 99).put("type", "Authenticator");
        entity.set("user", user(event.getSubjectId()));
        return entity;
      }
    }
  }

  /** auth_factors[].factor_type_id per OCSF 1.8.0 and docs/standards.md: 1 SMS, 3 Phone Call, 5 Push, 6 Hardware Token, 7 OTP, 8 Email, 9 U2F, 10 WebAuthn, 99 Other. */
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

  /** The schema's caption of a factor type id; 99 carries the product's own name. */
  static String factorTypeName(int id) {
    switch (id) {
      case 1: return "SMS";
      case 3: return "Phone Call";
      case 5: return "Push Notification";
      case 6: return "Hardware Token";
      case 7: return "OTP";
      case 8: return "Email";
      case 10: return "WebAuthn";
      case 99: return "Recovery Codes";
      default: return "Unknown";
    }
  }
}
