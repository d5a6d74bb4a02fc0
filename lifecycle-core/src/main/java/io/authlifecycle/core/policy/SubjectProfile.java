package io.authlifecycle.core.policy;

import io.authlifecycle.avro.IdentityType;

/** What the policy needs to know about a subject: human or service, privileged, role. */
public record SubjectProfile(IdentityType identityType, boolean privileged, String role) {

  public static SubjectProfile human(String role, boolean privileged) {
    return new SubjectProfile(IdentityType.HUMAN, privileged, role);
  }

  public static SubjectProfile service(String role) {
    return new SubjectProfile(IdentityType.SERVICE, false, role);
  }

  /** Anything but a known human is treated as a non-human identity for MFA purposes. */
  public boolean isService() {
    return identityType == IdentityType.SERVICE;
  }
}
