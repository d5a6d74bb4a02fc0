package io.authlifecycle.core.topics;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.GatewayApplied;
import io.authlifecycle.avro.state.GatewayCursor;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.core.topics.TopicSpec.KeyKind;
import io.authlifecycle.schemas.Contracts;
import io.authlifecycle.schemas.MultiRecordSerde;
import io.authlifecycle.schemas.SchemaCatalog;
import io.authlifecycle.schemas.TopicSerde;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic registry: every topic of the product, declared once with its serdes. Record values
 * use {@link TopicSerde}: written in the process's configured wire format, read in either. The
 * gateway's own state topic, like a state store, stays in single-object encoding.
 */
public final class Topics {

  private Topics() {}

  public static final int DEFAULT_PARTITIONS = 3;
  public static final String DLQ_SUFFIX = ".dlq.v1";

  public static final TopicSpec<WorkerEvent> HR_WORKER_EVENTS =
      input("hr.worker-events.v1", WorkerEvent.class, KeyKind.SUBJECT_ID);
  public static final TopicSpec<DeviceEvent> MDM_DEVICE_EVENTS =
      input("mdm.device-events.v1", DeviceEvent.class, KeyKind.DEVICE_ID);
  /**
   * What the IdP side reports about authenticators. {@code AuthenticatorUsed} moved to
   * {@link #AUTHENTICATOR_USAGE} (facts contract 2); a use written here in the earlier form is still
   * read and decided by the mover, skipped unread by the others, and counted as moved.
   */
  public static final TopicSpec<SpecificRecord> AUTHENTICATOR_EVENTS = new TopicSpec<>(
      "authn.authenticator-events.v1",
      TopicSerde.of(new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS)),
      Contracts.AUTHENTICATOR_FACTS, KeyKind.SUBJECT_ID, DEFAULT_PARTITIONS,
      Optional.of(deadLetters("authn.authenticator-events.v1")));
  /**
   * Factor use (sign-ins), the bulk of what an IdP reports, on a topic of its own so that only the
   * worker that decides on it (the mover) fetches it (facts contract 2).
   */
  public static final TopicSpec<AuthenticatorUsed> AUTHENTICATOR_USAGE =
      input("authn.authenticator-usage.v1", AuthenticatorUsed.class, KeyKind.SUBJECT_ID);
  /**
   * The shared command topic every worker wrote before commands had one topic per issuer. The
   * gateway reads it only with {@code gateway.commands.legacy-topic=true} (a migration aid); its
   * dead-letter topic {@code authn.commands.dlq.v1} stays the gateway's for every command topic.
   */
  public static final TopicSpec<AuthenticatorCommand> COMMANDS =
      input("authn.commands.v1", AuthenticatorCommand.class, KeyKind.SUBJECT_ID);
  /** Commands of one issuing worker each: the topic's write ACL is the proof of who issued a command. */
  public static final TopicSpec<AuthenticatorCommand> COMMANDS_JOINER = commands("authn.commands.joiner.v1");
  public static final TopicSpec<AuthenticatorCommand> COMMANDS_MOVER = commands("authn.commands.mover.v1");
  public static final TopicSpec<AuthenticatorCommand> COMMANDS_LEAVER = commands("authn.commands.leaver.v1");
  public static final TopicSpec<AuthenticatorCommand> COMMANDS_RECOVERY = commands("authn.commands.recovery.v1");
  /** Issuing worker → its command topic. */
  public static final Map<String, TopicSpec<AuthenticatorCommand>> COMMANDS_BY_ISSUER = Map.of(
      "joiner-worker", COMMANDS_JOINER, "mover-worker", COMMANDS_MOVER,
      "leaver-worker", COMMANDS_LEAVER, "recovery-worker", COMMANDS_RECOVERY);
  /** Every issuer's command topic, in a stable order: what the gateway (and a reader of all commands) reads. */
  public static final List<TopicSpec<AuthenticatorCommand>> COMMANDS_ALL =
      List.of(COMMANDS_JOINER, COMMANDS_MOVER, COMMANDS_LEAVER, COMMANDS_RECOVERY);
  /** Help-desk recovery requests, each signed by its agent; only the help-desk principal writes it. */
  public static final TopicSpec<RecoveryRequest> RECOVERY_REQUESTS =
      input("recovery.requests.v1", RecoveryRequest.class, KeyKind.SUBJECT_ID);
  /** Self-service recovery requests and cancels, from the portal that authenticated the subject; only its principal writes it. */
  public static final TopicSpec<RecoveryRequest> SELF_SERVICE_REQUESTS =
      input("recovery.self-service-requests.v1", RecoveryRequest.class, KeyKind.SUBJECT_ID);
  /** System recovery requests (a lost device left too little to re-bind); only the mover writes it. */
  public static final TopicSpec<RecoveryRequest> SYSTEM_REQUESTS =
      input("recovery.system-requests.v1", RecoveryRequest.class, KeyKind.SUBJECT_ID);
  public static final TopicSpec<ApprovalRequested> APPROVAL_REQUESTS =
      output("recovery.approval-requests.v1", ApprovalRequested.class);
  public static final TopicSpec<ApprovalDecision> APPROVAL_DECISIONS =
      input("recovery.approval-decisions.v1", ApprovalDecision.class, KeyKind.SUBJECT_ID);
  public static final TopicSpec<SubjectNotification> NOTIFICATIONS =
      output("subject.notifications.v1", SubjectNotification.class);
  public static final TopicSpec<AuditEvent> AUDIT =
      input("audit.lifecycle.v1", AuditEvent.class, KeyKind.SUBJECT_ID);
  /**
   * Each audit writer's signed checkpoints of its chain heads, keyed {@code writer/scope}: the anchor
   * that lets the verifier tell a writer's records from records any other writer could chain.
   */
  public static final TopicSpec<AuditCheckpoint> AUDIT_CHECKPOINTS = new TopicSpec<>("audit.checkpoints.v1",
      TopicSerde.of(AuditCheckpoint.class), List.of(AuditCheckpoint.class), KeyKind.WRITER_SCOPE, DEFAULT_PARTITIONS,
      Optional.empty());
  /** The audit projected to OCSF 1.8.0 JSON for SIEMs (UTF-8 JSON, not Avro). */
  public static final TopicSpec<String> AUDIT_OCSF = new TopicSpec<>("audit.ocsf.v1", Serdes.String(),
      List.of(), KeyKind.SUBJECT_ID, DEFAULT_PARTITIONS, Optional.empty());
  /**
   * The ingest's own state (SCIM users with their versions, device event ids seen, audit chain heads):
   * UTF-8 JSON, compacted so the latest value per key survives for good and a restart keeps idempotence.
   */
  public static final TopicSpec<String> INGEST_STATE = new TopicSpec<>("ingest.state.v1", Serdes.String(),
      List.of(), KeyKind.STATE, DEFAULT_PARTITIONS, Optional.empty(), Map.of("cleanup.policy", "compact"));

  /**
   * The IdP gateway's own state, compacted: applied command ids (tombstoned after the de-duplication
   * horizon), per subject its audit chain head and the tickets it holds open at the IdP, and its
   * binding-poll cursor. Written only by the gateway, in the transaction of each outcome; partition p
   * belongs to the owner of command partition p. Keys: {@code applied:<commandId>} (dry run: {@code applied:dry-run:<commandId>}),
   * {@code subject:<subjectId>}, {@code cursor:bindings}.
   */
  public static final TopicSpec<SpecificRecord> GATEWAY_STATE = new TopicSpec<>("authn.gateway-state.v1",
      new MultiRecordSerde(SchemaCatalog.get(), List.of(GatewayApplied.class, GatewaySubject.class, GatewayCursor.class)),
      List.of(GatewayApplied.class, GatewaySubject.class, GatewayCursor.class), KeyKind.STATE, DEFAULT_PARTITIONS,
      Optional.empty(), Map.of("cleanup.policy", "compact"));

  /** Every topic with a record contract, in a stable order. */
  public static final List<TopicSpec<?>> ALL = List.of(HR_WORKER_EVENTS, MDM_DEVICE_EVENTS,
      AUTHENTICATOR_EVENTS, AUTHENTICATOR_USAGE, COMMANDS, COMMANDS_JOINER, COMMANDS_MOVER, COMMANDS_LEAVER,
      COMMANDS_RECOVERY, RECOVERY_REQUESTS, SELF_SERVICE_REQUESTS, SYSTEM_REQUESTS, APPROVAL_REQUESTS,
      APPROVAL_DECISIONS, NOTIFICATIONS, AUDIT, AUDIT_CHECKPOINTS, AUDIT_OCSF, INGEST_STATE, GATEWAY_STATE);

  /**
   * Where records of {@code type} on {@code topic} belong now, if the contract moved them to another
   * topic; readers still accept the earlier form during a migration.
   */
  public static Optional<TopicSpec<?>> movedFrom(TopicSpec<?> topic, Class<?> type) {
    return topic == AUTHENTICATOR_EVENTS && type == AuthenticatorUsed.class ? Optional.of(AUTHENTICATOR_USAGE) : Optional.empty();
  }

  /** Every topic including the dead-letter topics: what the local stack and deployments create. */
  public static List<TopicSpec<?>> allWithDeadLetters() {
    List<TopicSpec<?>> all = new ArrayList<>(ALL);
    // The command topics share one dead-letter topic: listed once.
    ALL.forEach(t -> t.deadLetters().filter(d -> !all.contains(d)).ifPresent(all::add));
    return Collections.unmodifiableList(all);
  }

  /** Finds a topic (including dead-letter topics) by name. */
  public static Optional<TopicSpec<?>> byName(String name) {
    return allWithDeadLetters().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The one registry topic that carries records of {@code type}: each input record class has a
   * topic of its own, so the class names where a decoded record came from.
   */
  public static TopicSpec<?> carrying(Class<?> type) {
    List<TopicSpec<?>> found = ALL.stream().filter(t -> t.carries(type)).toList();
    if (found.size() != 1) {
      throw new IllegalArgumentException(type.getSimpleName() + " is carried by " + found.size()
          + " registry topics " + found + ", not by one");
    }
    return found.get(0);
  }

  /** {@code hr.worker-events.v1} → {@code hr.worker-events.dlq.v1}. */
  public static String deadLetterName(String topic) {
    if (!topic.endsWith(".v1")) {
      throw new IllegalArgumentException("not a versioned topic name: " + topic);
    }
    return topic.substring(0, topic.length() - ".v1".length()) + DLQ_SUFFIX;
  }

  private static <V extends SpecificRecord> TopicSpec<V> input(String name, Class<V> type, KeyKind key) {
    return new TopicSpec<>(name, TopicSerde.of(type), List.of(type), key, DEFAULT_PARTITIONS,
        Optional.of(deadLetters(name)));
  }

  private static TopicSpec<AuthenticatorCommand> commands(String name) {
    return new TopicSpec<>(name, TopicSerde.of(AuthenticatorCommand.class), List.of(AuthenticatorCommand.class),
        KeyKind.SUBJECT_ID, DEFAULT_PARTITIONS, Optional.of(COMMANDS.deadLetterTopic()));
  }

  private static <V extends SpecificRecord> TopicSpec<V> output(String name, Class<V> type) {
    return new TopicSpec<>(name, TopicSerde.of(type), List.of(type), KeyKind.SUBJECT_ID, DEFAULT_PARTITIONS, Optional.empty());
  }

  private static TopicSpec<DeadLetter> deadLetters(String source) {
    Serde<DeadLetter> serde = TopicSerde.of(DeadLetter.class);
    return new TopicSpec<>(deadLetterName(source), serde, List.of(DeadLetter.class), KeyKind.SUBJECT_ID,
        DEFAULT_PARTITIONS, Optional.empty());
  }
}
