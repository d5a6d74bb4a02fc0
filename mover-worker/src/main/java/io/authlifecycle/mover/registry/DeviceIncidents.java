package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.mover.registry.Step.Cause;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * MDM device events, re-keyed to the owner. Lost or stolen: the device's factors are revoked and
 * sessions terminated at once, the owner is told on every other channel, and re-binding is a
 * normal REBIND ticket if what remains meets the owner's level, else a recovery request (4.3,
 * 4.2). Found never reactivates. Non-compliant suspends, compliant resumes what it suspended;
 * wiped or retired revokes without an incident. A binding that arrives after the device event
 * gets the same treatment, under the device event's ids, so the end state does not depend on order.
 */
final class DeviceIncidents {

  /** Channels that may reach the lost device itself. */
  private static final Set<Channel> DEVICE_CHANNELS = Set.of(Channel.PUSH, Channel.SMS);

  private final MoverRules rules;

  DeviceIncidents(MoverRules rules) {
    this.rules = rules;
  }

  void deviceEvent(Subject subject, DeviceEvent event, Outcome out) {
    DeviceMark mark = subject.mark(event.getDeviceId());
    switch (event.getType()) {
      case LOST, STOLEN -> lost(subject, mark, event, out);
      case WIPED, RETIRED -> retired(subject, mark, event, out);
      case NONCOMPLIANT -> noncompliant(subject, mark, event, out);
      case COMPLIANT -> compliant(subject, mark, event, out);
      case FOUND -> found(subject, mark, event, out);
      default -> { }
    }
  }

  private void lost(Subject subject, DeviceMark mark, DeviceEvent event, Outcome out) {
    if (mark.lost()) {
      out.audit("mover.device.loss-repeated", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.LOSS_THEFT,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(subject, event))
          .reason("already handled under " + mark.blockedEventId).detail("deviceId", mark.deviceId);
      return;
    }
    mark.block(event.getType(), event.getEventId(), event.getEventTime());
    Cause cause = lossCause(subject, mark);
    Severity severity = event.getType() == DeviceEventType.STOLEN ? Severity.CRITICAL : Severity.HIGH;
    List<Factor> onDevice = subject.liveOnDevice(mark.deviceId);
    out.audit("mover.device." + event.getType().name().toLowerCase(), AuditOutcome.ESCALATED, severity,
        PolicyRefs.LOSS_THEFT, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause)
        .reason("lost or stolen means compromised: its factors are revoked and sessions ended at once")
        .detail("deviceId", mark.deviceId).detail("factors", onDevice.stream().map(f -> f.id).toList())
        .detail("subjectKnownToHr", subject.profile != null);
    for (Factor factor : onDevice) {
      out.change(subject, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
          "bound to device " + mark.deviceId + " reported " + event.getType(), PolicyRefs.LOSS_THEFT, severity);
    }
    out.terminateSessions(subject, "device:" + mark.deviceId, cause,
        "device " + mark.deviceId + " reported " + event.getType(), PolicyRefs.LOSS_THEFT, severity);
    out.notify(subject, otherChannels(subject), "device.lost",
        "Your device was reported " + event.getType().name().toLowerCase() + ". Its sign-in factors were removed"
            + " and your sessions ended. If this wasn't you, contact the help desk.", cause);
    if (!onDevice.isEmpty()) {
      rebind(subject, mark, cause, onDevice, out);
    }
  }

  /** A factor bound on a device already lost, stolen, wiped or retired: revoked under that event's ids. */
  void bindingOnBlockedDevice(Subject subject, Factor factor, DeviceMark mark, Outcome out) {
    boolean loss = mark.blockedBy == DeviceEventType.LOST || mark.blockedBy == DeviceEventType.STOLEN;
    Cause cause = loss ? lossCause(subject, mark) : retireCause(subject, mark);
    Severity severity = !loss ? Severity.INFO
        : mark.blockedBy == DeviceEventType.STOLEN ? Severity.CRITICAL : Severity.HIGH;
    out.change(subject, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
        "bound to device " + mark.deviceId + " already reported " + mark.blockedBy,
        loss ? PolicyRefs.LOSS_THEFT : PolicyRefs.INVALIDATION, severity);
    if (loss && !mark.rebindDecided) {
      rebind(subject, mark, cause, List.of(factor), out);
    }
  }

  void bindingOnNoncompliantDevice(Subject subject, Factor factor, DeviceMark mark, Outcome out) {
    suspend(subject, factor, complianceCause(subject, mark.noncompliantEventId, mark.noncompliantAt), out);
  }

  /** Re-binding after a loss: normal binding if the remaining factors reach the level, else recovery (4.2, 4.1.2.1). */
  private void rebind(Subject subject, DeviceMark mark, Cause cause, List<Factor> lost, Outcome out) {
    mark.rebindDecided = true;
    Optional<SubjectProfile> view = subject.view();
    List<FactorType> remaining = subject.usableTypes();
    List<FactorType> allowed = view.map(v -> rules.policy().allowedEnrollmentTypes(v)).orElse(List.of());
    if (view.isPresent() && !allowed.isEmpty() && rules.policy().meetsRequiredLevel(remaining, view.get())) {
      out.ticket(subject, TicketPurpose.REBIND, allowed, rules.lossTicketLifetime(), cause,
          "replace the factors of lost device " + mark.deviceId + "; the remaining factors "
              + remaining + " meet " + subject.profile.requiredLevel(), PolicyRefs.BINDING);
    } else {
      String why = view.isEmpty() ? "the owner is unknown to HR"
          : "the remaining factors " + remaining + " do not meet " + subject.profile.requiredLevel();
      out.recovery(subject, lost.stream().map(f -> f.id).toList(), cause,
          "device " + mark.deviceId + " reported " + mark.blockedBy + "; " + why + ": re-binding needs recovery");
    }
  }

  private void retired(Subject subject, DeviceMark mark, DeviceEvent event, Outcome out) {
    if (mark.lost() || mark.retired()) {
      out.audit("mover.device.retire-recorded", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.INVALIDATION,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(subject, event))
          .reason("device already " + mark.blockedBy + " under " + mark.blockedEventId).detail("deviceId", mark.deviceId);
      return;
    }
    mark.block(event.getType(), event.getEventId(), event.getEventTime());
    Cause cause = retireCause(subject, mark);
    List<Factor> onDevice = subject.liveOnDevice(mark.deviceId);
    out.audit("mover.device." + event.getType().name().toLowerCase(), AuditOutcome.RECORDED, Severity.INFO,
        PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause)
        .detail("deviceId", mark.deviceId).detail("factors", onDevice.stream().map(f -> f.id).toList());
    for (Factor factor : onDevice) {
      out.change(subject, factor, CommandAction.REVOKE_AUTHENTICATOR, cause,
          "device " + mark.deviceId + " " + event.getType().name().toLowerCase(), PolicyRefs.INVALIDATION, Severity.INFO);
    }
    if (!onDevice.isEmpty()) {
      out.notify(subject, subject.channels(), "factor.removed",
          "Device " + mark.deviceId + " was " + event.getType().name().toLowerCase()
              + "; the sign-in factors on it were removed.", cause);
    }
  }

  private void noncompliant(Subject subject, DeviceMark mark, DeviceEvent event, Outcome out) {
    mark.noncompliantEventId = event.getEventId();
    mark.noncompliantAt = event.getEventTime();
    Cause cause = complianceCause(subject, event.getEventId(), event.getEventTime());
    List<Factor> usable = subject.liveOnDevice(mark.deviceId).stream().filter(Factor::usable).toList();
    out.audit("mover.device.noncompliant", AuditOutcome.RECORDED, Severity.MEDIUM, PolicyRefs.INVALIDATION,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).detail("deviceId", mark.deviceId)
        .detail("factors", usable.stream().map(f -> f.id).toList()).reason(event.getReason());
    for (Factor factor : usable) {
      suspend(subject, factor, cause, out);
    }
    if (!usable.isEmpty()) {
      out.notify(subject, subject.channels(), "device.noncompliant",
          "Device " + mark.deviceId + " no longer meets policy; its sign-in factors are suspended until it does.", cause);
    }
  }

  private void suspend(Subject subject, Factor factor, Cause cause, Outcome out) {
    factor.suspendedForNoncompliance = true;
    out.change(subject, factor, CommandAction.SUSPEND_AUTHENTICATOR, cause,
        "device " + factor.deviceId + " is non-compliant", PolicyRefs.INVALIDATION, Severity.MEDIUM);
  }

  private void compliant(Subject subject, DeviceMark mark, DeviceEvent event, Outcome out) {
    if (!mark.noncompliant()) {
      return;
    }
    mark.noncompliantEventId = null;
    mark.noncompliantAt = null;
    Cause cause = complianceCause(subject, event.getEventId(), event.getEventTime());
    List<Factor> resumable = subject.liveOnDevice(mark.deviceId).stream()
        .filter(f -> f.suspendedForNoncompliance).toList();
    out.audit("mover.device.compliant", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.INVALIDATION,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).detail("deviceId", mark.deviceId)
        .detail("factors", resumable.stream().map(f -> f.id).toList());
    for (Factor factor : resumable) {
      factor.suspendedForNoncompliance = false;
      out.change(subject, factor, CommandAction.RESUME_AUTHENTICATOR, cause,
          "device " + mark.deviceId + " is compliant again", PolicyRefs.INVALIDATION, Severity.INFO);
    }
  }

  private void found(Subject subject, DeviceMark mark, DeviceEvent event, Outcome out) {
    boolean wasLost = mark.lost();
    if (wasLost || mark.retired()) {
      mark.clearedAt = event.getEventTime();
    }
    out.audit("mover.device.found", AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.LOSS_THEFT,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause(subject, event)).detail("deviceId", mark.deviceId)
        .reason(wasLost ? "lost means compromised: revoked factors stay revoked; new bindings on it are allowed"
            : "the device was not reported lost");
  }

  private static List<Channel> otherChannels(Subject subject) {
    List<Channel> others = subject.channels().stream().filter(c -> !DEVICE_CHANNELS.contains(c)).toList();
    return others.isEmpty() ? List.of(Channel.WORK_EMAIL) : others;
  }

  private static Cause cause(Subject subject, DeviceEvent event) {
    return new Cause(event.getEventId(), event.getEventTime(), "device:" + subject.id + ":" + event.getEventId());
  }

  private static Cause lossCause(Subject subject, DeviceMark mark) {
    return new Cause(mark.blockedEventId, mark.blockedAt, "device-loss:" + subject.id + ":" + mark.blockedEventId);
  }

  private static Cause retireCause(Subject subject, DeviceMark mark) {
    return new Cause(mark.blockedEventId, mark.blockedAt, "device-retired:" + subject.id + ":" + mark.blockedEventId);
  }

  private static Cause complianceCause(Subject subject, String eventId, Instant eventTime) {
    return new Cause(eventId, eventTime, "device-compliance:" + subject.id + ":" + eventId);
  }
}
