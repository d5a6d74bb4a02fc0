package io.authlifecycle.e2e.bench;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.bench.Mix.EventKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The benchmark's (and the fault tests') population and events. Subject {@code i} joined through
 * a verified JOINER, bound its first factor (a hardware passkey) through the joiner's ticket and
 * one or two more factors after that (an OTP app on a phone, a synced passkey), so every worker
 * holds state for it. The open-loop events are then drawn over that population: factor use (the
 * bulk), new joiners, movers, leavers (each subject at most once), device events and help-desk
 * recovery requests. Event ids carry the run id, so runs never collide.
 */
public final class Population {

  /** The joiner worker's name, from which the onboarding ticket id is derived. */
  public static final String JOINER_WORKER = "joiner-worker";

  /**
   * The help-desk agent who signs the recovery requests, as the worker requires; register it with
   * {@link #personKeys()} in the recovery worker's settings.
   */
  public static final PersonKeyFile AGENT = PersonKeyFile.generate(new Person("bench-agent", "bench-agent-hr"),
      Set.of(Role.HELP_DESK));

  private static final List<FactorType> TYPES = List.of(FactorType.HARDWARE_PASSKEY, FactorType.OTP_APP,
      FactorType.SYNCED_PASSKEY);
  /** A prime larger than any population: walking i * STRIDE mod N visits each subject once. */
  private static final long STRIDE = 1_000_003L;

  private final String run;
  private final int subjects;
  private final TopicSpec<?> usesOn;
  private long leavers;

  public Population(String run, int subjects) {
    this(run, subjects, Topics.AUTHENTICATOR_USAGE);
  }

  /** A population whose factor use goes to {@code usesOn}: the usage topic, or the facts topic as before it existed. */
  public Population(String run, int subjects, TopicSpec<?> usesOn) {
    if (usesOn != Topics.AUTHENTICATOR_USAGE && usesOn != Topics.AUTHENTICATOR_EVENTS) {
      throw new IllegalArgumentException("factor use goes to the usage topic or the facts topic, not " + usesOn);
    }
    this.run = run;
    this.subjects = subjects;
    this.usesOn = usesOn;
  }

  /** One event as it goes on its topic. */
  public record Event(TopicSpec<?> topic, String key, SpecificRecord value, EventKind kind, String eventId, String subjectId) {

    public ProducerRecord<byte[], byte[]> record(long timestamp) {
      return new ProducerRecord<>(topic.name(), null, timestamp, key.getBytes(StandardCharsets.UTF_8), encode(topic, value));
    }
  }

  public int size() {
    return subjects;
  }

  public String run() {
    return run;
  }

  public String subject(int i) {
    return String.format("s-%s-%07d", run, i);
  }

  /** Two or three factors: even subjects have three. */
  public int factorCount(int i) {
    return i % 2 == 0 ? 3 : 2;
  }

  public String factor(int i, int f) {
    return subject(i) + "-f" + f;
  }

  public String device(int i, int f) {
    return subject(i) + "-d" + f;
  }

  public String joinerEventId(int i) {
    return "hr-join-" + subject(i);
  }

  /** The verified JOINER that opens subject {@code i}'s onboarding case (hired yesterday). */
  public Event joiner(int i, Instant now) {
    String subject = subject(i);
    return new Event(Topics.HR_WORKER_EVENTS, subject, hire(subject, joinerEventId(i), now, now.minus(Duration.ofDays(1)),
        "engineer"), EventKind.JOINER, joinerEventId(i), subject);
  }

  /** Subject {@code i}'s factors: the first through the joiner's ticket, the others after onboarding. */
  public List<Event> bindings(int i, Instant now) {
    List<Event> events = new ArrayList<>();
    String subject = subject(i);
    String ticket = Ids.derive(JOINER_WORKER, joinerEventId(i), "enrollment-ticket", TicketPurpose.ONBOARDING.name());
    for (int f = 0; f < factorCount(i); f++) {
      String eventId = "bind-" + factor(i, f);
      AuthenticatorBound bound = AuthenticatorBound.newBuilder().setEventId(eventId).setEventTime(now.plusMillis(f))
          .setSubjectId(subject).setAuthenticatorId(factor(i, f)).setFactorType(TYPES.get(f))
          .setDeviceId(f == 0 ? null : device(i, f)).setTicketId(f == 0 ? ticket : null).setExpiresAt(null)
          .setSource("bench-idp").build();
      events.add(new Event(Topics.AUTHENTICATOR_EVENTS, subject, bound, EventKind.USED, eventId, subject));
    }
    return events;
  }

  /** The next open-loop event of a kind, timed {@code at} (its scheduled send time). */
  public Event next(EventKind kind, long seq, Instant at, Random random) {
    return switch (kind) {
      case USED -> used(random.nextInt(subjects), random, seq, at);
      case JOINER -> newHire(seq, at);
      case MOVER -> mover(random.nextInt(subjects), seq, at);
      case LEAVER -> leaver(nextLeaver(), seq, at);
      case DEVICE -> device(random.nextInt(subjects), seq, at);
      case RECOVERY -> recovery(random.nextInt(subjects), seq, at);
    };
  }

  public Event used(int i, Random random, long seq, Instant at) {
    String subject = subject(i);
    int f = random.nextInt(factorCount(i));
    String eventId = "use-" + run + "-" + seq;
    AuthenticatorUsed used = AuthenticatorUsed.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(subject)
        .setAuthenticatorId(factor(i, f)).setFactorType(TYPES.get(f)).setSource("bench-idp").build();
    return new Event(usesOn, subject, used, EventKind.USED, eventId, subject);
  }

  /** A new subject (outside the loaded population) joining now with a verified identity. */
  public Event newHire(long seq, Instant at) {
    String subject = String.format("n-%s-%07d", run, seq);
    String eventId = "hr-new-" + run + "-" + seq;
    return new Event(Topics.HR_WORKER_EVENTS, subject, hire(subject, eventId, at, at, "engineer"), EventKind.JOINER,
        eventId, subject);
  }

  /** A role change; every fifth is into a privileged role (stricter: a REBIND ticket, non-qualifying factors on grace). */
  public Event mover(int i, long seq, Instant at) {
    String subject = subject(i);
    String eventId = "hr-move-" + run + "-" + seq;
    WorkerEvent move = WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.MOVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole(seq % 5 == 0 ? "platform-admin" : "analyst")
        .setPrivileged(seq % 5 == 0).setEffectiveTime(at).setManagerId("m-" + (i % 997)).setSource("bench-hr").build();
    return new Event(Topics.HR_WORKER_EVENTS, subject, move, EventKind.MOVER, eventId, subject);
  }

  /** A leaver effective now (not flagged immediate): revocation is due at the event's time. */
  public Event leaver(int i, long seq, Instant at) {
    String subject = subject(i);
    String eventId = "hr-leave-" + run + "-" + seq;
    WorkerEvent leave = WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.LEAVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(at)
        .setManagerId("m-" + (i % 997)).setSource("bench-hr").build();
    return new Event(Topics.HR_WORKER_EVENTS, subject, leave, EventKind.LEAVER, eventId, subject);
  }

  /** The phone (factor 1's device): lost, non-compliant or compliant again, in turn. */
  public Event device(int i, long seq, Instant at) {
    DeviceEventType type = switch ((int) (seq % 3)) {
      case 0 -> DeviceEventType.NONCOMPLIANT;
      case 1 -> DeviceEventType.COMPLIANT;
      default -> DeviceEventType.LOST;
    };
    String device = device(i, 1);
    String eventId = "mdm-" + run + "-" + seq;
    DeviceEvent event = DeviceEvent.newBuilder().setEventId(eventId).setEventTime(at).setDeviceId(device)
        .setOwnerSubjectId(subject(i)).setType(type).setReason("bench").setSource("bench-mdm").build();
    return new Event(Topics.MDM_DEVICE_EVENTS, device, event, EventKind.DEVICE, eventId, subject(i));
  }

  /** The {@code person.keys} setting that registers {@link #AGENT} with the recovery worker. */
  public static Map<String, String> personKeys() {
    return Map.of("person.keys", AGENT.registryEntry());
  }

  /** A help-desk recovery request with in-person proofing as evidence, signed by the bench's agent. */
  public Event recovery(int i, long seq, Instant at) {
    String subject = subject(i);
    String eventId = "rec-" + run + "-" + seq;
    RecoveryRequest request = RequestSigner.sign(RecoveryRequest.newBuilder().setEventId(eventId).setEventTime(at)
        .setRequestId(eventId).setKind(RecoveryRequestKind.OPEN).setSubjectId(subject).setChannel(RecoveryChannel.HELP_DESK)
        .setReason(RecoveryReason.FACTOR_LOST)
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING)
            .setReference("proof-" + eventId).setLevel(IdentityAssuranceLevel.IAL2).setVerifiedAt(at).build()))
        .setLostAuthenticatorIds(List.of(factor(i, 1))), AGENT);
    return new Event(Topics.RECOVERY_REQUESTS, subject, request, EventKind.RECOVERY, eventId, subject);
  }

  /** The next subject to leave; each subject leaves once until the population is used up, then it wraps. */
  public synchronized int nextLeaver() {
    return (int) ((leavers++ * STRIDE) % subjects);
  }

  private static WorkerEvent hire(String subject, String eventId, Instant at, Instant effective, String role) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.JOINER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole(role).setPrivileged(false)
        .setEffectiveTime(effective)
        .setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-" + eventId)
            .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(IdentityAssuranceLevel.IAL2)
            .setVerifiedAt(effective.minus(Duration.ofDays(7))).setVerifier("bench-hr-desk").build())
        .setManagerId("m-" + Math.abs(subject.hashCode() % 997)).setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH))
        .setSource("bench-hr").build();
  }

  /** Encodes a value with its topic's serde (single-object Avro). */
  @SuppressWarnings("unchecked")
  public static byte[] encode(TopicSpec<?> topic, Object value) {
    return ((Serializer<Object>) topic.valueSerde().serializer()).serialize(topic.name(), value);
  }
}
