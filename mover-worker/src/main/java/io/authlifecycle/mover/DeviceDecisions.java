package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.MoverDevice;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.MoverTicketReason;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.mover.MoverRecords.Cause;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * MDM device events, re-keyed to the owner. Lost or stolen: the device's factors are revoked and
 * sessions terminated at once (with no factor linked to the device, the owner's unattributed
 * factors of the kinds that live on one), the owner is told on every other channel exactly what
 * was asked of the IdP, and re-binding is a normal REBIND ticket if what remains meets the owner's
 * level, else a recovery request (4.3, 4.2). Found never reactivates. Non-compliant suspends, compliant resumes what it suspended;
 * wiped or retired revokes without an incident. A binding that arrives after the device event
 * gets the same treatment, under the device event's ids, so the end state does not depend on order.
 */
final class DeviceDecisions {

  /** Channels that may reach the lost device itself. */
  private static final Set<Channel> DEVICE_CHANNELS = Set.of(Channel.PUSH, Channel.SMS);

  private final MoverRules rules;
  private final MoverRecords records;

  DeviceDecisions(MoverRules rules, MoverRecords records) {
    this.rules = rules;
    this.records = records;
  }

  void onDeviceEvent(MoverSubject state, DeviceEvent event, Decision<MoverSubject> out, Instant now) {
    MoverDevice mark = MoverSubjects.mark(state, event.getDeviceId());
    switch (event.getType()) {
      case LOST, STOLEN -> lost(state, mark, event, out, now);
      case WIPED, RETIRED -> retired(state, mark, event, out, now);
      case NONCOMPLIANT -> noncompliant(state, mark, event, out, now);
      case COMPLIANT -> compliant(state, mark, event, out, now);
      case FOUND -> found(state, mark, event, out);
      default -> { }
    }
  }

  private void lost(MoverSubject state, MoverDevice mark, DeviceEvent event, Decision<MoverSubject> out, Instant now) {
    String deviceId = mark.getDeviceId();
    if (MoverSubjects.lost(mark)) {
      out.audit(MoverRecords.audit(state, "mover.device.loss-repeated", AuditOutcome.RECORDED, Severity.INFO,
          PolicyRefs.LOSS_THEFT, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(state, event), "deviceId", deviceId)
          .setReason("already handled under " + mark.getBlockedEventId()));
      return;
    }
    MoverSubjects.block(mark, event.getType(), event.getEventId(), event.getEventTime());
    Cause cause = lossCause(state, mark);
    Severity severity = event.getType() == DeviceEventType.STOLEN ? Severity.CRITICAL : Severity.HIGH;
    String happened = event.getType().name();
    List<MoverFactor> onDevice = MoverSubjects.liveOnDevice(state, deviceId);
    boolean attributed = !onDevice.isEmpty();
    // No factor linked to the device: the IdP could not tell. Fail towards revocation for the kinds that live on one.
    List<MoverFactor> revoked = attributed ? onDevice : state.getFactors().stream()
        .filter(f -> !MoverSubjects.gone(f) && MoverSubjects.unattributed(f)
            && rules.unattributedLossKinds().contains(f.getFactorType())).toList();
    List<MoverFactor> kept = state.getFactors().stream().filter(f -> !MoverSubjects.gone(f) && !revoked.contains(f))
        .toList();
    out.audit(MoverRecords.audit(state, "mover.device." + event.getType().name().toLowerCase(), AuditOutcome.ESCALATED,
        severity, PolicyRefs.LOSS_THEFT, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "deviceId", deviceId,
        "factors", MoverSubjects.ids(revoked), "attribution", attributed ? "linked" : "none: unattributed-kinds rule",
        "kept", MoverSubjects.ids(kept), "subjectKnownToHr", state.getProfile() != null)
        .setReason(attributed ? "lost or stolen means compromised: its factors are revoked and sessions ended at once"
            : "lost or stolen means compromised, and no factor is linked to the device: the owner's factors of kinds "
                + "that live on a device and that no device is named for are revoked ("
                + MoverSettings.UNATTRIBUTED_LOSS_KINDS.key() + "); sessions ended at once"));
    for (MoverFactor factor : revoked) {
      records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause, attributed
              ? "bound to device " + deviceId + " reported " + happened
              : "device " + deviceId + " reported " + happened + " and no factor is linked to it: a "
                  + factor.getFactorType() + " with no device named may live on it",
          PolicyRefs.LOSS_THEFT, severity, now);
    }
    records.terminateSessions(out, state, "device:" + deviceId, cause,
        "device " + deviceId + " reported " + happened, PolicyRefs.LOSS_THEFT, severity, now);
    records.notify(out, state, otherChannels(state), "device.lost", lossNotice(event, revoked), cause, now);
    if (!revoked.isEmpty()) {
      rebind(state, mark, cause, revoked, out, now);
    }
  }

  /** What the owner is told: exactly what was asked of the IdP, never a removal that was not. */
  private static String lossNotice(DeviceEvent event, List<MoverFactor> revoked) {
    String what = revoked.isEmpty()
        ? "No sign-in factor could be tied to it, so none was removed; we asked for your sessions to be ended."
        : "We asked for " + (revoked.size() == 1 ? "the sign-in factor" : "the " + revoked.size() + " sign-in factors")
            + " that may be on it (" + String.join(", ", revoked.stream().map(f -> f.getFactorType().name()).toList())
            + ") to be removed and for your sessions to be ended.";
    return "Your device was reported " + event.getType().name().toLowerCase() + ". " + what
        + " If this wasn't you, contact the help desk.";
  }

  /** A factor bound on a device already lost, stolen, wiped or retired: revoked under that event's ids. */
  void bindingOnBlockedDevice(MoverSubject state, MoverFactor factor, MoverDevice mark, Decision<MoverSubject> out,
      Instant now) {
    DeviceEventType blockedBy = mark.getBlockedBy();
    boolean loss = blockedBy == DeviceEventType.LOST || blockedBy == DeviceEventType.STOLEN;
    Cause cause = loss ? lossCause(state, mark) : retireCause(state, mark);
    Severity severity = !loss ? Severity.INFO : blockedBy == DeviceEventType.STOLEN ? Severity.CRITICAL : Severity.HIGH;
    records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
        "bound to device " + mark.getDeviceId() + " already reported " + blockedBy,
        loss ? PolicyRefs.LOSS_THEFT : PolicyRefs.INVALIDATION, severity, now);
    if (loss && !mark.getRebindDecided()) {
      rebind(state, mark, cause, List.of(factor), out, now);
    }
  }

  void bindingOnNoncompliantDevice(MoverSubject state, MoverFactor factor, MoverDevice mark,
      Decision<MoverSubject> out, Instant now) {
    suspend(state, factor, complianceCause(state, mark.getNoncompliantEventId(), mark.getNoncompliantAt()), out, now);
  }

  /** Re-binding after a loss: normal binding if the remaining factors reach the level, else recovery (4.2, 4.1.2.1). */
  private void rebind(MoverSubject state, MoverDevice mark, Cause cause, List<MoverFactor> lost,
      Decision<MoverSubject> out, Instant now) {
    mark.setRebindDecided(true);
    SubjectProfile view = MoverSubjects.view(state);
    List<FactorType> remaining = MoverSubjects.usableTypes(state);
    List<FactorType> allowed = view == null ? List.of() : rules.policy().allowedEnrollmentTypes(view);
    if (view != null && !allowed.isEmpty() && rules.policy().meetsRequiredLevel(remaining, view)) {
      records.ticket(out, state, MoverTicketReason.DEVICE_LOSS, allowed, rules.lossTicketLifetime(), cause,
          "replace the factors of lost device " + mark.getDeviceId() + "; the remaining factors "
              + remaining + " meet " + state.getProfile().getRequiredLevel(), PolicyRefs.BINDING, now);
    } else {
      String why = view == null ? "the owner is unknown to HR"
          : "the remaining factors " + remaining + " do not meet " + state.getProfile().getRequiredLevel();
      records.recovery(out, state, MoverSubjects.ids(lost), cause,
          "device " + mark.getDeviceId() + " reported " + mark.getBlockedBy() + "; " + why + ": re-binding needs recovery",
          now);
    }
  }

  private void retired(MoverSubject state, MoverDevice mark, DeviceEvent event, Decision<MoverSubject> out,
      Instant now) {
    String deviceId = mark.getDeviceId();
    if (MoverSubjects.lost(mark) || MoverSubjects.retired(mark)) {
      out.audit(MoverRecords.audit(state, "mover.device.retire-recorded", AuditOutcome.RECORDED, Severity.INFO,
          PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(state, event), "deviceId", deviceId)
          .setReason("device already " + mark.getBlockedBy() + " under " + mark.getBlockedEventId()));
      return;
    }
    MoverSubjects.block(mark, event.getType(), event.getEventId(), event.getEventTime());
    Cause cause = retireCause(state, mark);
    List<MoverFactor> onDevice = MoverSubjects.liveOnDevice(state, deviceId);
    String happened = event.getType().name().toLowerCase();
    out.audit(MoverRecords.audit(state, "mover.device." + happened, AuditOutcome.RECORDED, Severity.INFO,
        PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "deviceId", deviceId,
        "factors", MoverSubjects.ids(onDevice)));
    for (MoverFactor factor : onDevice) {
      records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause, "device " + deviceId + " " + happened,
          PolicyRefs.INVALIDATION, Severity.INFO, now);
    }
    if (!onDevice.isEmpty()) {
      records.notify(out, state, MoverSubjects.channels(state), "factor.removed",
          "Device " + deviceId + " was " + happened + "; the sign-in factors on it were removed.", cause, now);
    }
  }

  private void noncompliant(MoverSubject state, MoverDevice mark, DeviceEvent event, Decision<MoverSubject> out,
      Instant now) {
    mark.setNoncompliantEventId(event.getEventId());
    mark.setNoncompliantAt(event.getEventTime());
    Cause cause = complianceCause(state, event.getEventId(), event.getEventTime());
    List<MoverFactor> usable = MoverSubjects.liveOnDevice(state, mark.getDeviceId()).stream().filter(MoverSubjects::usable).toList();
    out.audit(MoverRecords.audit(state, "mover.device.noncompliant", AuditOutcome.RECORDED, Severity.MEDIUM,
        PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "deviceId", mark.getDeviceId(),
        "factors", MoverSubjects.ids(usable)).setReason(event.getReason()));
    for (MoverFactor factor : usable) {
      suspend(state, factor, cause, out, now);
    }
    if (!usable.isEmpty()) {
      records.notify(out, state, MoverSubjects.channels(state), "device.noncompliant", "Device " + mark.getDeviceId()
          + " no longer meets policy; its sign-in factors are suspended until it does.", cause, now);
    }
  }

  private void suspend(MoverSubject state, MoverFactor factor, Cause cause, Decision<MoverSubject> out, Instant now) {
    factor.setSuspendedForNoncompliance(true);
    records.change(out, state, factor, CommandAction.SUSPEND_AUTHENTICATOR, cause,
        "device " + factor.getDeviceId() + " is non-compliant", PolicyRefs.INVALIDATION, Severity.MEDIUM, now);
  }

  private void compliant(MoverSubject state, MoverDevice mark, DeviceEvent event, Decision<MoverSubject> out,
      Instant now) {
    if (!MoverSubjects.noncompliant(mark)) {
      return;
    }
    mark.setNoncompliantEventId(null);
    mark.setNoncompliantAt(null);
    Cause cause = complianceCause(state, event.getEventId(), event.getEventTime());
    List<MoverFactor> resumable = MoverSubjects.liveOnDevice(state, mark.getDeviceId()).stream()
        .filter(MoverFactor::getSuspendedForNoncompliance).toList();
    out.audit(MoverRecords.audit(state, "mover.device.compliant", AuditOutcome.RECORDED, Severity.INFO,
        PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "deviceId", mark.getDeviceId(),
        "factors", MoverSubjects.ids(resumable)));
    for (MoverFactor factor : resumable) {
      factor.setSuspendedForNoncompliance(false);
      records.change(out, state, factor, CommandAction.RESUME_AUTHENTICATOR, cause,
          "device " + mark.getDeviceId() + " is compliant again", PolicyRefs.INVALIDATION, Severity.INFO, now);
    }
  }

  private static void found(MoverSubject state, MoverDevice mark, DeviceEvent event, Decision<MoverSubject> out) {
    boolean wasLost = MoverSubjects.lost(mark);
    if (wasLost || MoverSubjects.retired(mark)) {
      mark.setClearedAt(event.getEventTime());
    }
    out.audit(MoverRecords.audit(state, "mover.device.found", AuditOutcome.RECORDED, Severity.INFO,
        PolicyRefs.LOSS_THEFT, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(state, event), "deviceId", mark.getDeviceId())
        .setReason(wasLost ? "lost means compromised: revoked factors stay revoked; new bindings on it are allowed"
            : "the device was not reported lost"));
  }

  private static List<Channel> otherChannels(MoverSubject state) {
    List<Channel> others = MoverSubjects.channels(state).stream().filter(c -> !DEVICE_CHANNELS.contains(c)).toList();
    return others.isEmpty() ? List.of(Channel.WORK_EMAIL) : others;
  }

  private static Cause cause(MoverSubject state, DeviceEvent event) {
    return new Cause(event.getEventId(), event.getEventTime(), "device:" + state.getSubjectId() + ":" + event.getEventId());
  }

  private static Cause lossCause(MoverSubject state, MoverDevice mark) {
    return new Cause(mark.getBlockedEventId(), mark.getBlockedAt(),
        "device-loss:" + state.getSubjectId() + ":" + mark.getBlockedEventId());
  }

  private static Cause retireCause(MoverSubject state, MoverDevice mark) {
    return new Cause(mark.getBlockedEventId(), mark.getBlockedAt(),
        "device-retired:" + state.getSubjectId() + ":" + mark.getBlockedEventId());
  }

  private static Cause complianceCause(MoverSubject state, String eventId, Instant eventTime) {
    return new Cause(eventId, eventTime, "device-compliance:" + state.getSubjectId() + ":" + eventId);
  }
}
