package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Instant;
import java.util.List;

/** Input records for leaver tests, one builder per kind, all for subject {@code alice} unless told. */
final class LeaverFixtures {

  static final String WORKER = LeaverWorker.NAME;
  static final String ALICE = "alice";

  static {
    // Avro refuses to build generated classes until the schema catalog has declared them trusted.
    SchemaCatalog.get();
  }

  private LeaverFixtures() {}

  /** Loads this class (and with it the trust rule) before a test builds any record. */
  static void load() {}

  static WorkerEvent hr(String eventId, WorkerEventType type, Instant eventTime, Instant effectiveTime) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(eventTime).setType(type).setSubjectId(ALICE)
        .setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(effectiveTime)
        .setManagerId("mgr-1").setSource("workday").build();
  }

  /** A REHIRE carrying an in-person verification at IAL2 made at {@code verifiedAt}. */
  static WorkerEvent rehire(String eventId, Instant eventTime, Instant verifiedAt) {
    return WorkerEvent.newBuilder(hr(eventId, WorkerEventType.REHIRE, eventTime, eventTime))
        .setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-" + eventId)
            .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(IdentityAssuranceLevel.IAL2)
            .setVerifiedAt(verifiedAt).build())
        .build();
  }

  static WorkerEvent leaver(String eventId, Instant eventTime, Instant effectiveTime) {
    return hr(eventId, WorkerEventType.LEAVER, eventTime, effectiveTime);
  }

  static WorkerEvent immediateLeaver(String eventId, Instant eventTime, Instant effectiveTime, boolean forCause) {
    return WorkerEvent.newBuilder(leaver(eventId, eventTime, effectiveTime)).setImmediate(!forCause)
        .setForCause(forCause).build();
  }

  static WorkerEvent withServiceIdentities(WorkerEvent event, String... owned) {
    return WorkerEvent.newBuilder(event).setOwnedServiceIdentities(List.of(owned)).build();
  }

  static AuthenticatorBound bound(String eventId, String authenticatorId, Instant at) {
    return AuthenticatorBound.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(ALICE)
        .setAuthenticatorId(authenticatorId).setFactorType(FactorType.HARDWARE_PASSKEY).setDeviceId("dev-" + authenticatorId)
        .setTicketId("t-" + authenticatorId).setSource("idp").build();
  }

  static AuthenticatorRevoked revoked(String eventId, String authenticatorId, Instant at) {
    return AuthenticatorRevoked.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(ALICE)
        .setAuthenticatorId(authenticatorId).setFactorType(FactorType.HARDWARE_PASSKEY).setSource("idp").build();
  }

  static CommandApplied applied(String eventId, String commandId, CommandAction action, Instant at, String... touched) {
    return CommandApplied.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(ALICE).setCommandId(commandId)
        .setAction(action).setAuthenticatorIds(List.of(touched)).setSource("idp").build();
  }

  static CommandFailed failed(String eventId, String commandId, CommandAction action, Instant at) {
    return CommandFailed.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(ALICE).setCommandId(commandId)
        .setAction(action).setError("HTTP 503 from the IdP").setPermanent(false).setAttempts(3).setSource("idp").build();
  }

  /** The id the worker derives for a command caused by {@code causationId}. */
  static String commandId(String causationId, CommandAction action, String discriminator) {
    return Ids.derive(WORKER, causationId, action.name(), discriminator);
  }
}
