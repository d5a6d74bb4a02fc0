package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.core.topics.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Rules every decoded input must pass before a worker decides on it: ids present, key matching
 * the record, no UNKNOWN in the fields a decision turns on, times that are plausible, lifetimes
 * that are positive. A record that fails is dead-lettered with every problem listed.
 */
public final class InputValidator {

  /** Enum fields a decision turns on: an UNKNOWN there (a newer writer's value) cannot be decided safely. */
  private static final Set<String> DECISIVE_ENUMS = Set.of("type", "action", "decision", "kind", "channel");
  private static final Set<String> REQUIRED_IDS = Set.of("eventId", "subjectId", "ownerSubjectId", "deviceId",
      "commandId", "requestId", "approverId", "authenticatorId", "requesterId", "causationId", "correlationId");

  private final Duration maxFutureSkew;
  private final Duration maxEffectiveHorizon;

  public InputValidator(Duration maxFutureSkew, Duration maxEffectiveHorizon) {
    this.maxFutureSkew = maxFutureSkew;
    this.maxEffectiveHorizon = maxEffectiveHorizon;
  }

  /** Every problem with the record as read from {@code topic} under {@code key}; empty means valid. */
  public List<String> problems(TopicSpec<?> topic, String key, SpecificRecord record, Instant now) {
    List<String> problems = new ArrayList<>();
    if (!topic.carries(record.getClass())) {
      problems.add(record.getSchema().getName() + " does not belong on " + topic.name());
      return problems;
    }
    SpecificRecordBase r = (SpecificRecordBase) record;
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = r.get(field.pos());
      String name = field.name();
      if (REQUIRED_IDS.contains(name) && field.schema().getType() == Schema.Type.STRING
          && (value == null || value.toString().isBlank())) {
        problems.add(name + " is blank");
      }
      if (DECISIVE_ENUMS.contains(name) && value instanceof Enum<?> e && e.name().equals("UNKNOWN")) {
        problems.add(name + " is UNKNOWN (a value this reader does not know)");
      }
      if (name.equals("eventTime") && value instanceof Instant t && t.isAfter(now.plus(maxFutureSkew))) {
        problems.add("eventTime " + t + " is more than " + maxFutureSkew + " in the future");
      }
      if (name.equals("effectiveTime") && value instanceof Instant t && t.isAfter(now.plus(maxEffectiveHorizon))) {
        problems.add("effectiveTime " + t + " is more than " + maxEffectiveHorizon + " ahead");
      }
    }
    String keyField = topic.keyKind() == TopicSpec.KeyKind.DEVICE_ID ? "deviceId" : "subjectId";
    Schema.Field keyed = record.getSchema().getField(keyField);
    if (keyed != null) {
      Object id = r.get(keyed.pos());
      if (key == null || !key.equals(String.valueOf(id))) {
        problems.add("record key '" + key + "' does not match " + keyField + " '" + id + "'");
      }
    }
    if (record instanceof AuthenticatorCommand command && command.getTicket() != null) {
      EnrollmentTicket ticket = command.getTicket();
      if (!ticket.getExpiresAt().isAfter(ticket.getNotBefore())) {
        problems.add("ticket lifetime is not positive (expiresAt " + ticket.getExpiresAt()
            + " is not after notBefore " + ticket.getNotBefore() + ")");
      }
    }
    return problems;
  }
}
