package io.authlifecycle.core.hr;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** HR events for the fold's tests, all for subject {@code s-1}; builders so each test varies one field. */
final class HrEvents {

  static final Instant T = Instant.parse("2026-11-02T09:00:00Z");

  static {
    // Generated classes are trusted once the schema catalog has loaded.
    SchemaCatalog.get();
  }

  private HrEvents() {}

  /** Rules built from the declared settings' defaults plus these overrides, as a worker builds them. */
  static StandingRules rules(Map<String, String> overrides) {
    return StandingRules.from(Settings.load(WorkerContext.declared(List.of()), Optional.empty(), Map.of(), overrides));
  }

  static IdentityVerification verified(String id, IdentityAssuranceLevel level, Instant at) {
    return IdentityVerification.newBuilder().setVerificationId(id).setMethod(VerificationMethod.IN_PERSON_PROOFING)
        .setLevel(level).setVerifiedAt(at).setVerifier("desk-1").build();
  }

  /** A full record of the given type at {@code at}: a human engineer, not privileged (stated), effective at once. */
  static WorkerEvent.Builder event(String eventId, WorkerEventType type, Instant at) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(type).setSubjectId("s-1")
        .setIdentityType(IdentityType.HUMAN).setRole("engineer").setPrivileged(false).setStatedPrivileged(false)
        .setEffectiveTime(at).setManagerId("mgr-1").setChannels(List.of(Channel.WORK_EMAIL))
        .setApprovers(List.of("ap-1"));
  }

  /** A partial MOVER: only the role, nothing said about privilege, channels, manager or approvers. */
  static WorkerEvent.Builder partialMover(String eventId, String role, Instant at) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.MOVER)
        .setSubjectId("s-1").setRole(role).setEffectiveTime(at);
  }

  static WorkerEvent.Builder leaver(String eventId, Instant at, Instant effective) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.LEAVER)
        .setSubjectId("s-1").setIdentityType(IdentityType.HUMAN).setEffectiveTime(effective);
  }
}
