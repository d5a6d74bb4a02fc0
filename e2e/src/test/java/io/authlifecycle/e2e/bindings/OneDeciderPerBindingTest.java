package io.authlifecycle.e2e.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every binding has one decider: the same IdP facts fed to all four workers' decisions, as their
 * topics bring them, make exactly one worker revoke a binding that may not stand and exactly one
 * tell the subject of a binding that does, in every phase of the subject's life.
 */
class OneDeciderPerBindingTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  private final Fleet fleet = new Fleet(Map.of());

  @Test
  void onboardingThenLaterBindingsThenTerminationEachHaveExactlyOneDecider() {
    fleet.publish("alice", joiner("alice", "hr-1", T0), T0);
    String onboarding = Fleet.of(fleet.joiner, CommandAction.ISSUE_ENROLLMENT_TICKET).get(0).getTicket().getTicketId();

    // Onboarding: the joiner's ticket used once, then a binding with no ticket while still onboarding.
    Instant t1 = T0.plus(Duration.ofMinutes(5));
    fleet.publish("alice", bound("b-1", "key-1", FactorType.HARDWARE_PASSKEY, onboarding, null, t1), t1);
    assertThat(fleet.noticesCausedBy("b-1")).containsExactly("joiner-worker:factor.bound");
    assertThat(fleet.revokersOf("key-1")).isEmpty();

    // Enrolled: a restricted factor without a ticket is refused once; an allowed one is announced once.
    Instant t2 = T0.plus(Duration.ofDays(10));
    fleet.publish("alice", bound("b-2", "sms-1", FactorType.SMS, null, null, t2), t2);
    fleet.publish("alice", bound("b-3", "otp-1", FactorType.OTP_APP, null, null, t2.plusSeconds(1)), t2.plusSeconds(1));
    assertThat(fleet.revokersOf("sms-1")).containsExactly("joiner-worker");
    assertThat(fleet.noticesCausedBy("b-2")).containsExactly("joiner-worker:factor.removed");
    assertThat(fleet.revokersOf("otp-1")).isEmpty();
    assertThat(fleet.noticesCausedBy("b-3")).containsExactly("joiner-worker:factor.bound");

    // A phone MDM reported lost, then the subject leaves; a binding on that phone afterwards is the
    // leaver's anomaly alone, not also a device-loss revocation of the mover.
    Instant t3 = T0.plus(Duration.ofDays(20));
    fleet.device(lost("alice", "old-phone", "mdm-1", t3), t3);
    Instant t4 = t3.plus(Duration.ofHours(1));
    fleet.publish("alice", leaver("alice", "hr-2", t4), t4);
    assertThat(Fleet.of(fleet.leaver, CommandAction.REVOKE_ALL)).hasSize(1);
    Instant t5 = t4.plus(Duration.ofMinutes(1));
    fleet.publish("alice", bound("b-4", "push-1", FactorType.PUSH_NUMBER_MATCHING, null, "old-phone", t5), t5);
    assertThat(fleet.revokersOf("push-1")).containsExactly("leaver-worker");
    assertThat(fleet.noticesCausedBy("b-4")).isEmpty();
  }

  static WorkerEvent joiner(String subject, String eventId, Instant at) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.JOINER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setPrivileged(false)
        .setEffectiveTime(at).setManagerId("mgr-1").setApprovers(List.of("ap-9"))
        .setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH, Channel.SMS))
        .setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-" + eventId)
            .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(IdentityAssuranceLevel.IAL2).setVerifiedAt(at)
            .build())
        .build();
  }

  static WorkerEvent leaver(String subject, String eventId, Instant at) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(at).setType(WorkerEventType.LEAVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setEffectiveTime(at).setImmediate(true).build();
  }

  static AuthenticatorBound bound(String eventId, String authenticatorId, FactorType type, String ticketId,
      String deviceId, Instant at) {
    return AuthenticatorBound.newBuilder().setEventId(eventId).setEventTime(at).setSubjectId("alice")
        .setAuthenticatorId(authenticatorId).setFactorType(type).setTicketId(ticketId).setDeviceId(deviceId).build();
  }

  static DeviceEvent lost(String owner, String device, String eventId, Instant at) {
    return DeviceEvent.newBuilder().setEventId(eventId).setEventTime(at).setDeviceId(device).setOwnerSubjectId(owner)
        .setType(DeviceEventType.LOST).build();
  }

  static List<CommandAction> actions(List<AuthenticatorCommand> commands) {
    return commands.stream().map(AuthenticatorCommand::getAction).toList();
  }
}
