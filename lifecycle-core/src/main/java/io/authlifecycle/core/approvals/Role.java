package io.authlifecycle.core.approvals;

/** What a registered key may sign: an approval decision, a help-desk request, or both. */
public enum Role {
  /** Approves or denies recovery requests. */
  APPROVER,
  /** Opens recovery requests on the help-desk topic. */
  HELP_DESK
}
