package io.authlifecycle.core.hr;

/**
 * What one HR event, or the passing of a pending leaver's effective time, changed in a subject's
 * standing. Each worker reacts to the changes it owns; the transition table is in this module's README.
 */
public enum HrChange {
  /** A subject first seen through a JOINER, REHIRE or MOVER is ACTIVE. */
  ACTIVATED,
  /** A REHIRE with a fresh verification at the role's level reopened a TERMINATED subject. */
  REOPENED,
  /** A JOINER, MOVER or REHIRE left a TERMINATED subject terminated; {@link Folded#refusal()} says why. */
  REOPEN_REFUSED,
  /** A leaver dated in the future: LEAVE_PENDING until its effective time. */
  LEAVE_SCHEDULED,
  /** A further leaver moved the pending one's effective time. */
  LEAVE_RESCHEDULED,
  /** A leaver recorded before the pending one tried to postpone it. */
  RESCHEDULE_REFUSED,
  /** A LEAVER_CANCELLED or a REHIRE dropped the pending leaver: ACTIVE again. */
  LEAVE_CANCELLED,
  /** A LEAVER_CANCELLED (or a stale REHIRE) with nothing it may cancel. */
  CANCEL_REFUSED,
  /** The subject is TERMINATED: an effective leaver, or a pending one whose time came. */
  TERMINATED,
  /** A LEAVER for a subject already TERMINATED. */
  ALREADY_TERMINATED,
  /** A JOINER, MOVER or REHIRE older than the latest HR event applied: nothing changed. */
  STALE,
  /** The role changed. */
  ROLE_CHANGED,
  /** The subject became privileged. */
  PRIVILEGE_RAISED,
  /** The subject stopped being privileged (only ever on a record that says so). */
  PRIVILEGE_LOWERED,
  /** Identity type, manager, channels or approvers changed. */
  PROFILE_CHANGED,
  /** A newer identity verification is now the subject's latest. */
  VERIFICATION_ACCEPTED
}
