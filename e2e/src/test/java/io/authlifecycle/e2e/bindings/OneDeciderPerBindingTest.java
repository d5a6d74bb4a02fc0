package io.authlifecycle.e2e.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.ApprovalSigner;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.recovery.ReceivedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every binding has one decider: the same IdP facts fed to all four workers' decisions, as their
 * topics bring them, make exactly one worker revoke a binding that may not stand and exactly one
 * tell the subject of a binding that does, in every phase of the subject's life.
 */
class OneDeciderPerBindingTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  private static final PersonKeyFile AGENT = PersonKeyFile.generate(new Person("hd-7", "E2007"), Set.of(Role.HELP_DESK));
  private static final PersonKeyFile AP1 = PersonKeyFile.generate(new Person("ap-1", "E1001"), Set.of(Role.APPROVER));
  private static final PersonKeyFile AP2 = PersonKeyFile.generate(new Person("ap-2", "E1002"), Set.of(Role.APPROVER));

  private final Fleet fleet = new Fleet(Map.of("person.keys",
      String.join(",", AGENT.registryEntry(), AP1.registryEntry(), AP2.registryEntry())));

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

  @Test
  void bindingsUnderARebindTicketAreTheMoversAloneAndUnderARecoveryTicketTheRecoveryWorkersAlone() {
    fleet.publish("alice", joiner("alice", "hr-1", T0), T0);
    String onboarding = Fleet.of(fleet.joiner, CommandAction.ISSUE_ENROLLMENT_TICKET).get(0).getTicket().getTicketId();
    Instant t1 = T0.plus(Duration.ofMinutes(5));
    fleet.publish("alice", bound("b-1", "otp-1", FactorType.OTP_APP, onboarding, null, t1), t1);

    // A move into a privileged role: the mover's REBIND ticket. Its first use is the replacement,
    // announced once; a second use is reuse, revoked once; a type the policy refuses, once.
    Instant t2 = T0.plus(Duration.ofDays(10));
    fleet.publish("alice", mover("alice", "hr-2", t2), t2);
    String rebind = Fleet.of(fleet.mover, CommandAction.ISSUE_ENROLLMENT_TICKET).get(0).getTicket().getTicketId();
    Instant t3 = t2.plus(Duration.ofHours(1));
    fleet.publish("alice", bound("b-2", "key-1", FactorType.HARDWARE_PASSKEY, rebind, null, t3), t3);
    fleet.publish("alice", bound("b-3", "key-2", FactorType.HARDWARE_PASSKEY, rebind, null, t3.plusSeconds(5)),
        t3.plusSeconds(5));
    assertThat(fleet.noticesCausedBy("b-2")).containsExactly("mover-worker:factor.bound");
    assertThat(fleet.revokersOf("key-1")).isEmpty();
    assertThat(fleet.revokersOf("key-2")).containsExactly("mover-worker");
    assertThat(fleet.noticesCausedBy("b-3")).isEmpty();

    // A help-desk recovery of the now privileged subject, approved by two; after the cooling-off the RECOVERY ticket.
    Instant t4 = T0.plus(Duration.ofDays(20));
    fleet.toRecovery("alice", new ReceivedRequest(RecoveryChannel.HELP_DESK, helpDesk("alice", "r-1", t4)), t4);
    String nonce = ((RecoverySubject) fleet.recovery.state).getCases().get(0).getNonce();
    for (PersonKeyFile approver : List.of(AP1, AP2)) {
      fleet.toRecovery("alice", ApprovalSigner.sign(ApprovalDecision.newBuilder().setEventId("ad-" + approver.personId())
          .setEventTime(t4).setRequestId("r-1").setSubjectId("alice").setApproverId(approver.personId())
          .setDecision(Decision.APPROVE).setDecidedAt(t4), nonce, approver), t4);
    }
    Instant t5 = t4.plus(Duration.ofDays(1));
    fleet.advance(t5);
    String recovery = Fleet.of(fleet.recovery, CommandAction.ISSUE_ENROLLMENT_TICKET).get(0).getTicket().getTicketId();
    fleet.publish("alice", bound("b-4", "key-3", FactorType.HARDWARE_PASSKEY, recovery, null, t5), t5);
    fleet.publish("alice", bound("b-5", "key-4", FactorType.HARDWARE_PASSKEY, recovery, null, t5.plusSeconds(5)),
        t5.plusSeconds(5));
    assertThat(fleet.noticesCausedBy("b-4")).containsExactly("recovery-worker:factor.bound");
    assertThat(fleet.revokersOf("key-3")).isEmpty();
    assertThat(fleet.revokersOf("key-4")).containsExactly("recovery-worker");
    assertThat(fleet.noticesCausedBy("b-5")).isEmpty();
  }

  static WorkerEvent mover(String subject, String eventId, Instant at) {
    // The privileged role needs IAL3 identity: the move carries that verification, so its REBIND ticket follows.
    return WorkerEvent.newBuilder(joiner(subject, eventId, at)).setType(WorkerEventType.MOVER).setRole("admin")
        .setPrivileged(true).setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-" + eventId)
            .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(IdentityAssuranceLevel.IAL3).setVerifiedAt(at)
            .build()).build();
  }

  /** A help-desk request, signed by the agent who files it. */
  static RecoveryRequest helpDesk(String subject, String requestId, Instant at) {
    return RequestSigner.sign(RecoveryRequest.newBuilder().setEventId("ev-" + requestId).setEventTime(at)
        .setRequestId(requestId).setKind(RecoveryRequestKind.OPEN).setSubjectId(subject)
        .setChannel(RecoveryChannel.HELP_DESK).setReason(RecoveryReason.LOCKED_OUT).setRequesterId("hd-7")
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING)
            .setReference("proof-1").setLevel(IdentityAssuranceLevel.IAL3).setVerifiedAt(at).build())), AGENT);
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
