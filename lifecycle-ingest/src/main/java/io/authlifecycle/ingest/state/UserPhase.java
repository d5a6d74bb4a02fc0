package io.authlifecycle.ingest.state;

/** Where a SCIM user stands in the lifecycle, as far as the ingest has told HR's topic. */
public enum UserPhase {
  /** Created inactive (provisioned before the start date): no JOINER yet. */
  PROVISIONED,
  /** A JOINER (or REHIRE) was published and no leaver since. */
  ACTIVE,
  /** A LEAVER was published with an effective time still ahead. */
  LEAVER_PENDING,
  /** A LEAVER was published and is effective. */
  LEFT
}
