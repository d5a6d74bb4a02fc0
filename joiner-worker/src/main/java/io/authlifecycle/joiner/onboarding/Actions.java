package io.authlifecycle.joiner.onboarding;

/** The audit actions, notification topics and timer kinds of the joiner, named once. */
public final class Actions {

  private Actions() {}

  public static final String TICKET_ISSUED = "enrollment.ticket.issued";
  public static final String TICKET_SUPERSEDED = "enrollment.ticket.superseded";
  public static final String REFUSED = "enrollment.refused";
  public static final String NHI_REFUSED = "nhi.human.mfa.refused";
  public static final String FACTOR_BOUND = "enrollment.factor.bound";
  public static final String TICKET_REUSE = "ticket.reuse";
  public static final String POLICY_VIOLATION = "enrollment.policy.violation";
  public static final String BINDING_WITHOUT_TICKET = "enrollment.binding.without.ticket";
  public static final String TICKET_REMINDER = "enrollment.ticket.reminder";
  public static final String TICKET_EXPIRED = "enrollment.ticket.expired";
  public static final String ESCALATED = "enrollment.escalated";
  public static final String SECOND_FACTOR_REMINDER = "enrollment.second.factor.reminder";
  public static final String SECOND_FACTOR_BOUND = "enrollment.second.factor.bound";
  public static final String CASE_CLOSED = "enrollment.case.closed";

  /** Notification topics. */
  public static final String NOTIFY_PROOFING_NEEDED = "enrollment.proofing.required";
  public static final String NOTIFY_FACTOR_BOUND = "factor.bound";
  public static final String NOTIFY_TICKET_REMINDER = "enrollment.ticket.reminder";
  public static final String NOTIFY_TICKET_EXPIRED = "enrollment.ticket.expired";
  public static final String NOTIFY_POLICY_VIOLATION = "enrollment.policy.violation";
  public static final String NOTIFY_SECOND_FACTOR = "factor.second.reminder";

  /** Timer kinds; every ticket timer starts with {@link #TICKET_TIMERS}. */
  public static final String TICKET_TIMERS = "ticket.";
  public static final String TIMER_TICKET_REMINDER = "ticket.reminder.";
  public static final String TIMER_TICKET_EXPIRY = "ticket.expiry";
  public static final String TIMER_SECOND_FACTOR = "factor.second.reminder";
  /** A future-dated leaver's effective time: the case closes then. */
  public static final String TIMER_LEAVER_EFFECTIVE = "leaver.effective";
  public static final String TIMER_TICKET_ID = "ticketId";
}
