package io.authlifecycle.recovery;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RelyingParty;
import io.authlifecycle.core.config.Setting;
import java.time.Duration;
import java.util.List;

/** The recovery worker's own settings, with safe defaults (STANDARDS.md: policy, not standard, fixes these numbers). */
public final class RecoverySettings {

  private RecoverySettings() {}

  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  public static final Setting<Integer> RATE_LIMIT_REQUESTS = Setting.integer("recovery.rate-limit.requests", 3,
      "Recovery requests a subject may make within the window; one more locks the subject for recovery.")
      .validate(n -> n >= 1, "must be at least 1");
  public static final Setting<Duration> RATE_LIMIT_WINDOW = Setting.duration("recovery.rate-limit.window", "24h",
      "The sliding window of the recovery rate limit.").validate(RecoverySettings::positive, "must be positive");
  public static final Setting<Duration> LOCK_DURATION = Setting.duration("recovery.lock.duration", "24h",
      "How long a subject over the rate limit stays locked for recovery.").validate(RecoverySettings::positive, "must be positive");
  public static final Setting<Integer> QUORUM_STANDARD = Setting.integer("recovery.quorum.standard", 1,
      "Distinct approvers a standard subject's recovery needs.").validate(n -> n >= 1, "must be at least 1");
  public static final Setting<Integer> QUORUM_PRIVILEGED = Setting.integer("recovery.quorum.privileged", 2,
      "Distinct approvers a privileged subject's recovery needs.").validate(n -> n >= 2, "must be at least 2 (separation of duties)");
  public static final Setting<Duration> APPROVAL_DEADLINE = Setting.duration("recovery.approval.deadline", "4h",
      "How long a request waits for its approvals before it expires.").validate(RecoverySettings::positive, "must be positive");
  public static final Setting<Duration> PROOFING_DEADLINE = Setting.duration("recovery.proofing.deadline", "72h",
      "How long a system request (a lost device left too little to re-bind) waits for the help desk to proof the subject "
          + "and file a request with evidence before it expires.").validate(RecoverySettings::positive, "must be positive");
  public static final Setting<Duration> APPROVAL_CLOCK_SKEW = Setting.duration("recovery.approval.clock-skew", "30s",
      "How much earlier than the case's opening an approver's clock may date a decision (the case nonce already proves it "
          + "was signed after the case opened).").validate(d -> !d.isNegative() && d.compareTo(Duration.ofMinutes(5)) <= 0,
          "must be between 0 and 5m");
  public static final Setting<Duration> COOLING_OFF_STANDARD = Setting.duration("recovery.cooling-off.standard", "1h",
      "Wait after quorum, for a standard subject, in which the subject can cancel.").validate(d -> !d.isNegative(), "must not be negative");
  public static final Setting<Duration> COOLING_OFF_PRIVILEGED = Setting.duration("recovery.cooling-off.privileged", "24h",
      "Wait after quorum, for a privileged subject, in which the subject can cancel.").validate(d -> !d.isNegative(), "must not be negative");
  public static final Setting<Duration> TICKET_LIFETIME = Setting.duration("recovery.ticket.lifetime", "10m",
      "Lifetime of the single-use RECOVERY enrollment ticket (63B-4 4.1.2.2: at most 10 minutes).")
      .validate(d -> positive(d) && d.compareTo(TEN_MINUTES) <= 0, "must be positive and at most 10m");
  public static final Setting<Channel> TICKET_CHANNEL = Setting.enumValue("recovery.ticket.delivery-channel", Channel.class,
      Channel.IDP_PORTAL, "Where the IdP delivers the recovery ticket; never email (63B-4 4.1.2.2).")
      .validate(c -> c != Channel.UNKNOWN && c != Channel.WORK_EMAIL && c != Channel.PERSONAL_EMAIL,
          "must be a known channel other than email");
  public static final Setting<Boolean> EXCLUDE_SUBJECT_APPROVERS = Setting.bool("recovery.exclude-subject-approvers", true,
      "Whether people on the subject's own HR approver list are barred from approving its recovery.");
  public static final Setting<Duration> EVIDENCE_MAX_AGE = Setting.duration("recovery.evidence.max-age", "1h",
      "Recovery proofs verified longer ago than this before the request do not count.").validate(RecoverySettings::positive, "must be positive");

  public static final List<Setting<?>> ALL = List.of(RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW, LOCK_DURATION,
      QUORUM_STANDARD, QUORUM_PRIVILEGED, APPROVAL_DEADLINE, PROOFING_DEADLINE, APPROVAL_CLOCK_SKEW, COOLING_OFF_STANDARD,
      COOLING_OFF_PRIVILEGED, TICKET_LIFETIME, TICKET_CHANNEL, EXCLUDE_SUBJECT_APPROVERS, EVIDENCE_MAX_AGE,
      PersonKeyRegistry.PERSON_KEYS, PersonKeyRegistry.RETIRED_APPROVER_KEYS, RelyingParty.RP_ID, RelyingParty.ORIGINS);

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }
}
