package io.authlifecycle.ingest.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A SCIM user as the ingest keeps it: the resource as last accepted (without meta), its version
 * (the ETag), the subject it speaks for, and its lifecycle phase. A deleted user is kept, hidden,
 * so its subject's history (a later create is a rehire) and version survive.
 */
public record StoredUser(String id, long version, String subjectId, String userName, UserPhase phase,
    Instant leaverEffective, boolean deleted, Instant created, Instant lastModified, ObjectNode resource) {

  /** The phase as of {@code now}: a pending leaver whose time has come has left. */
  public UserPhase phaseAt(Instant now) {
    if (phase == UserPhase.LEAVER_PENDING && leaverEffective != null && !leaverEffective.isAfter(now)) {
      return UserPhase.LEFT;
    }
    return phase;
  }

  /** The weak ETag of this version, as SCIM's meta.version and the ETag header carry it. */
  public String etag() {
    return etag(version);
  }

  public static String etag(long version) {
    return "W/\"" + version + "\"";
  }
}
