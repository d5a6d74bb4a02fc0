package io.authlifecycle.ingest.scim;

import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.ingest.scim.UserLifecycle.Transition;
import java.time.Instant;
import java.util.List;

/** The {@code WorkerEvent} a transition publishes, with an id derived from the user and its new version. */
final class HrEvents {

  private HrEvents() {}

  /** The event id: the same user version always gives the same id, so a worker sees a retried write once. */
  static String eventId(String worker, String scimId, long version) {
    return Ids.derive(worker, "scim", scimId, String.valueOf(version));
  }

  static WorkerEvent.Builder of(Transition t, UserProfile user, String managerSubjectId, String eventId, String source,
      Instant now) {
    UserProfile.Verification v = user.verification();
    return WorkerEvent.newBuilder()
        .setEventId(eventId)
        .setEventTime(now)
        .setType(t.event())
        .setSubjectId(user.subjectId())
        .setIdentityType(user.identityType())
        .setRole(user.role())
        .setPrivileged(user.privileged())
        // A SCIM user is a whole record: its privilege is always stated, false included.
        .setStatedPrivileged(user.privileged())
        .setEffectiveTime(t.effectiveTime())
        .setImmediate(t.immediate())
        .setForCause(user.forCause())
        .setIdentityVerification(v == null ? null : IdentityVerification.newBuilder().setVerificationId(v.reference())
            .setMethod(v.method()).setLevel(v.level()).setVerifiedAt(v.time()).setVerifier(v.verifier()).build())
        .setManagerId(managerSubjectId)
        .setChannels(user.channels())
        .setOwnedServiceIdentities(user.ownedServiceIdentities())
        .setApprovers(List.of())
        .setSource(source);
  }
}
