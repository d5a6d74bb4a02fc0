package io.authlifecycle.core.hr;

/** Why an HR event was refused by the fold: reopening, cancelling or rescheduling it asked for did not happen. */
public enum Refusal {
  /** A JOINER never reopens a terminated subject: only a REHIRE does. */
  JOINER_DOES_NOT_REOPEN,
  /** A MOVER never reopens a terminated subject, and changes nothing about it. */
  MOVER_DOES_NOT_REOPEN,
  /** The REHIRE carries no identity verification (or one of method NONE or UNKNOWN). */
  IDENTITY_NOT_VERIFIED,
  /** The verification is below the level the rehired role needs. */
  VERIFICATION_TOO_WEAK,
  /** The verification is dated after now. */
  VERIFICATION_IN_THE_FUTURE,
  /** The verification is not newer than the termination. */
  VERIFICATION_BEFORE_TERMINATION,
  /** The verification is older than the configured maximum age. */
  VERIFICATION_TOO_OLD,
  /** A LEAVER_CANCELLED with no pending leaver. */
  NOTHING_PENDING,
  /** A LEAVER_CANCELLED after the leaver took effect: revocation is never undone. */
  ALREADY_TERMINATED,
  /** A leaver recorded before the pending one may bring the date forward, never postpone it. */
  OLDER_RECORD_CANNOT_POSTPONE,
  /** The event is older than the latest HR event applied. */
  STALE_EVENT
}
