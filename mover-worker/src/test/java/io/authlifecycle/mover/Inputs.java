package io.authlifecycle.mover;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Instant;
import java.util.List;

/** Input records of the mover's three topics, filled the way the producers fill them. */
public final class Inputs {

  public static final List<Channel> CHANNELS = List.of(Channel.WORK_EMAIL, Channel.PUSH, Channel.SMS, Channel.PERSONAL_EMAIL);

  static {
    // Loading a serde installs the rule that lets Avro build this project's classes (enum defaults).
    AvroSerde.of(WorkerEvent.class);
  }

  private Inputs() {}

  /** An HR record that states the whole profile, privilege included. */
  public static WorkerEvent hr(WorkerEventType type, String subject, String role, boolean privileged, String eventId, Instant at) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(type).setSubjectId(subject)
        .setIdentityType(IdentityType.HUMAN).setRole(role).setPrivileged(privileged).setStatedPrivileged(privileged)
        .setEffectiveTime(at).setManagerId("mgr-1").setChannels(CHANNELS).setSource("workday").build();
  }

  /** A joiner, verified in person at the identity level its role needs (IAL3 privileged, IAL2 otherwise). */
  public static WorkerEvent joiner(String subject, String role, boolean privileged, Instant at) {
    return withVerification(hr(WorkerEventType.JOINER, subject, role, privileged, "hr-join-" + subject, at),
        privileged ? IdentityAssuranceLevel.IAL3 : IdentityAssuranceLevel.IAL2, at);
  }

  /** The event carrying an in-person verification at {@code level} made at {@code at}. */
  public static WorkerEvent withVerification(WorkerEvent event, IdentityAssuranceLevel level, Instant at) {
    return WorkerEvent.newBuilder(event).setIdentityVerification(IdentityVerification.newBuilder()
        .setVerificationId("iv-" + event.getEventId()).setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(level)
        .setVerifiedAt(at).setVerifier("desk-1").build()).build();
  }

  public static WorkerEvent mover(String subject, String role, boolean privileged, String eventId, Instant at) {
    return hr(WorkerEventType.MOVER, subject, role, privileged, eventId, at);
  }

  public static AuthenticatorBound bound(String subject, String authId, FactorType type, String deviceId,
      Instant expiresAt, Instant at) {
    return AuthenticatorBound.newBuilder().setEventId("bound-" + authId + "-" + at.toEpochMilli()).setEventTime(at)
        .setSubjectId(subject).setAuthenticatorId(authId).setFactorType(type).setDeviceId(deviceId)
        .setExpiresAt(expiresAt).setSource("idp").build();
  }

  public static AuthenticatorUsed used(String subject, String authId, Instant at) {
    return AuthenticatorUsed.newBuilder().setEventId("used-" + authId + "-" + at.toEpochMilli()).setEventTime(at)
        .setSubjectId(subject).setAuthenticatorId(authId).build();
  }

  public static AuthenticatorRevoked revoked(String subject, String authId, String commandId, Instant at) {
    return AuthenticatorRevoked.newBuilder().setEventId("revoked-" + authId + "-" + at.toEpochMilli()).setEventTime(at)
        .setSubjectId(subject).setAuthenticatorId(authId).setCommandId(commandId).build();
  }

  public static AuthenticatorSuspended suspended(String subject, String authId, String commandId, Instant at) {
    return AuthenticatorSuspended.newBuilder().setEventId("suspended-" + authId + "-" + at.toEpochMilli())
        .setEventTime(at).setSubjectId(subject).setAuthenticatorId(authId).setCommandId(commandId).build();
  }

  public static AuthenticatorResumed resumed(String subject, String authId, String commandId, Instant at) {
    return AuthenticatorResumed.newBuilder().setEventId("resumed-" + authId + "-" + at.toEpochMilli())
        .setEventTime(at).setSubjectId(subject).setAuthenticatorId(authId).setCommandId(commandId).build();
  }

  public static CommandApplied applied(String subject, String commandId, CommandAction action, Instant at) {
    return CommandApplied.newBuilder().setEventId("applied-" + commandId).setEventTime(at).setSubjectId(subject)
        .setCommandId(commandId).setAction(action).build();
  }

  public static CommandFailed failed(String subject, String commandId, CommandAction action, boolean permanent, Instant at) {
    return CommandFailed.newBuilder().setEventId("failed-" + commandId).setEventTime(at).setSubjectId(subject)
        .setCommandId(commandId).setAction(action).setError("HTTP 500").setPermanent(permanent).setAttempts(3).build();
  }

  public static DeviceEvent device(String owner, String deviceId, DeviceEventType type, String eventId, Instant at) {
    return DeviceEvent.newBuilder().setEventId(eventId).setEventTime(at).setDeviceId(deviceId)
        .setOwnerSubjectId(owner).setType(type).setReason("reported by MDM").setSource("intune").build();
  }
}
