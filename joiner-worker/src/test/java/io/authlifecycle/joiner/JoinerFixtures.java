package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import java.time.Instant;
import java.util.List;

/** Inputs for joiner tests: HR events and IdP facts with the fields each test varies. */
public final class JoinerFixtures {

  public static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  private JoinerFixtures() {}

  public static IdentityVerification verified(String verificationId, IdentityAssuranceLevel level) {
    return IdentityVerification.newBuilder().setVerificationId(verificationId)
        .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(level).setVerifiedAt(T0).setVerifier("hr-desk-3")
        .build();
  }

  /** A standard human joiner, verified at IAL2, hired now, with work email and push registered. */
  public static WorkerEvent.Builder joiner(String subjectId, String eventId, Instant now) {
    return WorkerEvent.newBuilder()
        .setEventId(eventId).setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subjectId).setIdentityType(IdentityType.HUMAN).setRole("engineer").setPrivileged(false)
        .setEffectiveTime(now)
        .setIdentityVerification(verified("iv-" + eventId, IdentityAssuranceLevel.IAL2))
        .setManagerId("mgr-1").setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH)).setSource("workday");
  }

  public static WorkerEvent.Builder leaver(String subjectId, String eventId, Instant now) {
    return WorkerEvent.newBuilder()
        .setEventId(eventId).setEventTime(now).setType(WorkerEventType.LEAVER)
        .setSubjectId(subjectId).setIdentityType(IdentityType.HUMAN).setEffectiveTime(now).setImmediate(true);
  }

  public static AuthenticatorBound.Builder bound(String subjectId, String eventId, String authenticatorId,
      FactorType type, String ticketId, Instant at) {
    return AuthenticatorBound.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(subjectId)
        .setAuthenticatorId(authenticatorId).setFactorType(type).setTicketId(ticketId).setSource("keycloak");
  }

  public static AuthenticatorRevoked revoked(String subjectId, String eventId, String authenticatorId, Instant at) {
    return AuthenticatorRevoked.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId(subjectId)
        .setAuthenticatorId(authenticatorId).build();
  }
}
