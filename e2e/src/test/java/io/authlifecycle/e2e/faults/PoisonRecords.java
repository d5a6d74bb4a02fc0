package io.authlifecycle.e2e.faults;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.bench.Population;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * Bad records for every input topic, of every kind a reader must survive: random bytes, truncated
 * Avro, a wrong schema fingerprint (all undecodable), and schema-valid records that break a rule
 * (a blank subject id, an UNKNOWN in a decisive enum, an event time years ahead, a key that is not
 * the record's subject, a ticket whose lifetime is negative). Also the good records interleaved
 * with them, each of which some worker must decide on.
 */
final class PoisonRecords {

  /** What is wrong with a record, and the dead-letter kind it must get. */
  enum Flaw {
    RANDOM_BYTES(DeadLetterKind.UNDECODABLE),
    TRUNCATED_AVRO(DeadLetterKind.UNDECODABLE),
    WRONG_FINGERPRINT(DeadLetterKind.UNDECODABLE),
    MISSING_SUBJECT_ID(DeadLetterKind.INVALID),
    UNKNOWN_ENUM(DeadLetterKind.INVALID),
    TIME_FAR_IN_FUTURE(DeadLetterKind.INVALID),
    KEY_NOT_THE_SUBJECT(DeadLetterKind.INVALID),
    NEGATIVE_TICKET_LIFETIME(DeadLetterKind.INVALID);

    final DeadLetterKind kind;

    Flaw(DeadLetterKind kind) {
      this.kind = kind;
    }
  }

  /** One record to send: where, under which key, its bytes, and (for a bad one) its flaw. */
  record Poison(TopicSpec<?> topic, String key, byte[] value, Flaw flaw, String eventId) {
    boolean good() {
      return flaw == null;
    }
  }

  private final String run;
  private final Random random;
  private final Instant now = Instant.now();

  PoisonRecords(String run, long seed) {
    this.run = run;
    this.random = new Random(seed);
  }

  /** The flaws that apply to a topic's records (only commands carry tickets; audit records have no decisive enum). */
  static List<Flaw> flawsOf(TopicSpec<?> topic) {
    List<Flaw> flaws = new ArrayList<>(Arrays.asList(Flaw.values()));
    if (!Topics.COMMANDS_ALL.contains(topic)) {
      flaws.remove(Flaw.NEGATIVE_TICKET_LIFETIME);
    }
    if (topic == Topics.AUDIT || topic == Topics.AUTHENTICATOR_USAGE) {
      flaws.remove(Flaw.UNKNOWN_ENUM);
    }
    return flaws;
  }

  /** Bad record number {@code n} for a topic, with the given flaw. */
  Poison bad(TopicSpec<?> topic, Flaw flaw, int n) {
    String id = "poison-" + run + "-" + n;
    SpecificRecord valid = valid(topic, id, id);
    byte[] encoded = Population.encode(topic, valid);
    return switch (flaw) {
      case RANDOM_BYTES -> {
        byte[] b = new byte[1 + random.nextInt(200)];
        random.nextBytes(b);
        yield new Poison(topic, id, b, flaw, id);
      }
      case TRUNCATED_AVRO -> new Poison(topic, id, Arrays.copyOf(encoded, 1 + random.nextInt(encoded.length - 1)), flaw, id);
      case WRONG_FINGERPRINT -> {
        byte[] b = encoded.clone();
        for (int i = 2; i < 10; i++) {
          b[i] = (byte) random.nextInt(256);
        }
        yield new Poison(topic, id, b, flaw, id);
      }
      case MISSING_SUBJECT_ID -> new Poison(topic, id, Population.encode(topic, valid(topic, id, "")), flaw, id);
      case UNKNOWN_ENUM -> new Poison(topic, id, Population.encode(topic, unknownEnum(topic, id)), flaw, id);
      case TIME_FAR_IN_FUTURE -> new Poison(topic, id, Population.encode(topic, withEventTime(valid,
          now.plus(Duration.ofDays(3650)))), flaw, id);
      case KEY_NOT_THE_SUBJECT -> new Poison(topic, "someone-else-" + id, encoded, flaw, id);
      case NEGATIVE_TICKET_LIFETIME -> new Poison(topic, id, Population.encode(topic, command(id, id, CommandAction.ISSUE_ENROLLMENT_TICKET,
          now.plusSeconds(600), now)), flaw, id);
    };
  }

  /** Good record number {@code n} for a topic: one some worker decides on (and audits, or projects). */
  Poison good(TopicSpec<?> topic, int n) {
    String id = "good-" + run + "-" + n;
    return new Poison(topic, id, Population.encode(topic, valid(topic, id, id)), null, "ev-" + id);
  }

  /**
   * A valid record of the topic's contract for subject (or device) {@code key}, with event id
   * {@code "ev-" + id}; {@code subject} is what goes in the subject field (blank for the flaw).
   */
  private SpecificRecord valid(TopicSpec<?> topic, String id, String subject) {
    String eventId = "ev-" + id;
    if (topic == Topics.HR_WORKER_EVENTS) {
      return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(now).setType(WorkerEventType.LEAVER)
          .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(now)
          .setImmediate(true).setSource("poison").build();
    }
    if (topic == Topics.MDM_DEVICE_EVENTS) {
      return DeviceEvent.newBuilder().setEventId(eventId).setEventTime(now).setDeviceId(subject.isEmpty() ? "" : id)
          .setOwnerSubjectId(subject.isEmpty() ? "" : "owner-" + id).setType(DeviceEventType.LOST).setSource("poison").build();
    }
    if (topic == Topics.AUTHENTICATOR_EVENTS) {
      // A fact every reader of the topic decides on (factor use has a topic of its own).
      return AuthenticatorRevoked.newBuilder().setEventId(eventId).setEventTime(now).setSubjectId(subject)
          .setAuthenticatorId(id + "-f0").setFactorType(FactorType.OTP_APP).setReason("poison").setSource("poison").build();
    }
    if (topic == Topics.AUTHENTICATOR_USAGE) {
      return AuthenticatorUsed.newBuilder().setEventId(eventId).setEventTime(now).setSubjectId(subject)
          .setAuthenticatorId(id + "-f0").setFactorType(FactorType.OTP_APP).setSource("poison").build();
    }
    if (topic == Topics.RECOVERY_REQUESTS || topic == Topics.SELF_SERVICE_REQUESTS || topic == Topics.SYSTEM_REQUESTS) {
      // Each request topic carries its own channel; a good one is decided (refused for the unknown subject, or unsigned).
      RecoveryChannel channel = topic == Topics.SELF_SERVICE_REQUESTS ? RecoveryChannel.SELF_SERVICE
          : topic == Topics.SYSTEM_REQUESTS ? RecoveryChannel.SYSTEM : RecoveryChannel.HELP_DESK;
      return RecoveryRequest.newBuilder().setEventId(eventId).setEventTime(now).setRequestId(eventId)
          .setKind(RecoveryRequestKind.OPEN).setSubjectId(subject).setChannel(channel)
          .setReason(RecoveryReason.FACTOR_LOST)
          .setRequesterId(channel == RecoveryChannel.SELF_SERVICE ? (subject.isEmpty() ? "portal" : subject) : "hd-1").build();
    }
    if (topic == Topics.APPROVAL_DECISIONS) {
      return ApprovalDecision.newBuilder().setEventId(eventId).setEventTime(now).setRequestId("req-" + id)
          .setSubjectId(subject).setApproverId("approver-1").setDecision(Decision.APPROVE).setDecidedAt(now)
          .setSignature(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();
    }
    if (Topics.COMMANDS_ALL.contains(topic)) {
      return command(id, subject, CommandAction.TERMINATE_SESSIONS, now, now.plusSeconds(600));
    }
    if (topic == Topics.AUDIT) {
      return AuditEvent.newBuilder().setEventId(eventId).setEventTime(now).setWorker("poison-writer").setSubjectId(subject)
          .setAction("poison.recorded").setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO)
          .setCausationId(eventId).setSequence(1).setPrevHash("0".repeat(64)).setHash("00").setDetails(Map.of()).build();
    }
    throw new IllegalArgumentException("no record template for " + topic.name());
  }

  private SpecificRecord unknownEnum(TopicSpec<?> topic, String id) {
    String eventId = "ev-" + id;
    if (topic == Topics.AUTHENTICATOR_EVENTS) {
      // The facts topic's decisive enum is the action a CommandApplied reports.
      return CommandApplied.newBuilder().setEventId(eventId).setEventTime(now).setSubjectId(id).setCommandId("c-" + id)
          .setAction(CommandAction.UNKNOWN).setSource("poison").build();
    }
    SpecificRecord record = valid(topic, id, id);
    if (record instanceof WorkerEvent e) {
      e.setType(WorkerEventType.UNKNOWN);
    } else if (record instanceof DeviceEvent e) {
      e.setType(DeviceEventType.UNKNOWN);
    } else if (record instanceof RecoveryRequest e) {
      e.setKind(RecoveryRequestKind.UNKNOWN);
    } else if (record instanceof ApprovalDecision e) {
      e.setDecision(Decision.UNKNOWN);
    } else if (record instanceof AuthenticatorCommand e) {
      e.setAction(CommandAction.UNKNOWN);
    }
    return record;
  }

  private static SpecificRecord withEventTime(SpecificRecord record, Instant time) {
    record.put(record.getSchema().getField("eventTime").pos(), time);
    return record;
  }

  private static AuthenticatorCommand command(String id, String subject, CommandAction action, Instant notBefore, Instant expiresAt) {
    return AuthenticatorCommand.newBuilder().setCommandId("c-" + id).setEventTime(Instant.now()).setCausationId("ev-" + id)
        .setCausationTime(Instant.now()).setCorrelationId("poison:" + id).setSubjectId(subject).setAction(action)
        .setTicket(action != CommandAction.ISSUE_ENROLLMENT_TICKET ? null : EnrollmentTicket.newBuilder()
            .setTicketId("t-" + id).setPurpose(TicketPurpose.ONBOARDING).setAllowedFactorTypes(List.of(FactorType.OTP_APP))
            .setNotBefore(notBefore).setExpiresAt(expiresAt).setSingleUse(true).setDeliveryChannel(Channel.IDP_PORTAL).build())
        .setReason("poison").setPolicyRef("none").setIssuedBy("poison-writer").build();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
