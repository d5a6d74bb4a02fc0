package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.suspended;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeviceDecisionsTest extends RegistryFixture {

  private void twoFactorsOnTwoDevices(boolean privileged) {
    on(joiner("alice", privileged ? "admin" : "engineer", privileged, T0));
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
  }

  @Test
  void aLostDeviceRevokesItsFactorsEndsSessionsNotifiesOnOtherChannelsAndRebindsNormallyWhenTheRestMeetTheLevel() {
    twoFactorsOnTwoDevices(false);
    Instant lostAt = later(Duration.ofDays(1));

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getCommandId, AuthenticatorCommand::getAction,
            AuthenticatorCommand::getAuthenticatorId, AuthenticatorCommand::getPolicyRef)
        .containsExactly(
            tuple(Ids.derive(WORKER, "mdm-1", "REVOKE_AUTHENTICATOR", "a-phone"),
                CommandAction.REVOKE_AUTHENTICATOR, "a-phone", PolicyRefs.LOSS_THEFT),
            tuple(Ids.derive(WORKER, "mdm-1", "TERMINATE_SESSIONS", "device:dev-phone"),
                CommandAction.TERMINATE_SESSIONS, null, PolicyRefs.LOSS_THEFT),
            tuple(Ids.derive(WORKER, "mdm-1", "ISSUE_ENROLLMENT_TICKET", "REBIND"),
                CommandAction.ISSUE_ENROLLMENT_TICKET, null, PolicyRefs.BINDING));
    assertThat(loss.commands()).extracting(AuthenticatorCommand::getCausationId, AuthenticatorCommand::getCausationTime,
            AuthenticatorCommand::getCorrelationId)
        .containsOnly(tuple("mdm-1", lostAt, "device-loss:alice:mdm-1"));
    AuthenticatorCommand ticket = loss.commands().get(2);
    assertThat(ticket.getTicket().getPurpose()).isEqualTo(TicketPurpose.REBIND);
    assertThat(ticket.getTicket().getExpiresAt()).isEqualTo(lostAt.plus(Duration.ofHours(8)));
    assertThat(ticket.getTicket().getTicketId()).isEqualTo("rebind-" + Ids.derive(WORKER, "mdm-1", "ticket", "REBIND"));
    assertThat(loss.notifications()).singleElement().satisfies(n -> {
      assertThat(n.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
      assertThat(n.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL);
      assertThat(n.getTopic()).isEqualTo("device.lost");
    });
    assertThat(recoveries(loss)).isEmpty();
    assertThat(loss.audits()).filteredOn(a -> a.getAction().equals("mover.factor.revoke-requested"))
        .singleElement().satisfies(a -> {
          assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
          assertThat(a.getDetails()).containsEntry("ocsf.type_uid", "300111").containsEntry("deviceId", "dev-phone");
        });
    assertThat(MoverSubjects.gone(factor("a-phone"))).isTrue();
    assertThat(MoverSubjects.usable(factor("a-key"))).isTrue();
  }

  @Test
  void aLossThatLeavesTooLittleBecomesARecoveryRequestNotATicket() {
    on(joiner("alice", "admin", true, T0));
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-laptop", null, T0));

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.STOLEN, "mdm-2", now));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);
    String requestId = Ids.derive(WORKER, "mdm-2", "recovery-request");
    String comment = "device dev-phone reported STOLEN; the remaining factors [OTP_APP] do not meet AAL3:"
        + " re-binding needs recovery";
    assertThat(recoveries(loss)).containsExactly(RecoveryRequest.newBuilder().setEventId(requestId).setEventTime(T0)
        .setRequestId(requestId).setKind(RecoveryRequestKind.OPEN).setSubjectId("alice")
        .setChannel(RecoveryChannel.SYSTEM).setReason(RecoveryReason.DEVICE_LOST).setRequesterId(WORKER)
        .setLostAuthenticatorIds(List.of("a-phone")).setCausationId("mdm-2").setComment(comment).build());
    assertThat(loss.audits()).filteredOn(a -> a.getAction().equals("mover.recovery.requested"))
        .extracting(AuditEvent.Builder::getCausationId, AuditEvent.Builder::getCorrelationId, AuditEvent.Builder::getReason)
        .containsExactly(tuple("mdm-2", "device-loss:alice:mdm-2", comment));
    assertThat(loss.audits()).filteredOn(a -> a.getAction().equals("mover.device.stolen"))
        .extracting(AuditEvent.Builder::getSeverity).containsExactly(Severity.CRITICAL);
  }

  @Test
  void theLossOfADeviceOwnedBySomeoneHrNeverIntroducedStillRevokesAndGoesThroughRecovery() {
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-3", now));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-phone"), tuple(CommandAction.TERMINATE_SESSIONS, null));
    assertThat(recoveries(loss)).singleElement().satisfies(r -> assertThat(r.getComment()).contains("unknown to HR"));
    assertThat(loss.notifications()).extracting(SubjectNotification::getChannels)
        .containsExactly(List.of(Channel.WORK_EMAIL));
  }

  @Test
  void aLossReportedBeforeTheBindingArrivesConvergesToTheSameStateAndTheSameCommands() {
    RegistryFixture inOrder = new RegistryFixture() { };
    inOrder.on(joiner("alice", "engineer", false, T0));
    inOrder.on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    List<AuthenticatorCommand> inOrderCommands = new ArrayList<>();
    inOrderCommands.addAll(inOrder.on(bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null, T0)).commands());
    inOrderCommands.addAll(inOrder.on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", T0)).commands());

    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    List<AuthenticatorCommand> reversed = new ArrayList<>();
    reversed.addAll(on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", T0)).commands());
    reversed.addAll(on(bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null, T0)).commands());

    assertThat(commandIds(reversed)).isEqualTo(commandIds(inOrderCommands)).hasSize(3);
    assertThat(factor("a-phone").getRequested()).isEqualTo(MoverRequest.REVOKE);
    assertThat(inOrder.factor("a-phone").getRequested()).isEqualTo(MoverRequest.REVOKE);
    assertThat(withoutRecentIds(alice)).isEqualTo(withoutRecentIds(inOrder.alice));
  }

  @Test
  void aRepeatedLossReportChangesNothing() {
    twoFactorsOnTwoDevices(false);
    on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", now));

    Decision<MoverSubject> again = on(device("alice", "dev-phone", DeviceEventType.STOLEN, "mdm-1b",
        later(Duration.ofMinutes(5))));

    assertThat(again.commands()).isEmpty();
    assertThat(again.auditActions()).containsExactly("mover.device.loss-repeated");
  }

  @Test
  void foundNeverReactivatesButAllowsNewBindingsOnTheDevice() {
    twoFactorsOnTwoDevices(false);
    on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", now));
    Instant foundAt = later(Duration.ofHours(3));

    Decision<MoverSubject> found = on(device("alice", "dev-phone", DeviceEventType.FOUND, "mdm-2", foundAt));

    assertThat(found.commands()).isEmpty();
    assertThat(found.audits()).singleElement().satisfies(a -> {
      assertThat(a.getAction()).isEqualTo("mover.device.found");
      assertThat(a.getPolicyRef()).isEqualTo(PolicyRefs.LOSS_THEFT);
    });
    assertThat(MoverSubjects.gone(factor("a-phone"))).isTrue();
    assertThat(on(bound("alice", "a-new", FactorType.HARDWARE_PASSKEY, "dev-phone", null,
        later(Duration.ofHours(1)))).commands()).isEmpty();
    assertThat(on(bound("alice", "a-old", FactorType.OTP_APP, "dev-phone", null, T0)).commands())
        .extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-old"));
  }

  @Test
  void nonCompliantSuspendsTheDevicesFactorsAndCompliantResumesOnlyThoseItSuspended() {
    twoFactorsOnTwoDevices(false);
    on(bound("alice", "a-admin-held", FactorType.OTP_APP, "dev-phone", null, T0));
    on(suspended("alice", "a-admin-held", null, T0));

    Decision<MoverSubject> bad = on(device("alice", "dev-phone", DeviceEventType.NONCOMPLIANT, "mdm-5",
        later(Duration.ofHours(1))));

    assertThat(bad.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.SUSPEND_AUTHENTICATOR, "a-phone"));
    assertThat(bad.notifications()).extracting(SubjectNotification::getTopic).containsExactly("device.noncompliant");
    on(suspended("alice", "a-phone", bad.commands().get(0).getCommandId(), later(Duration.ofMinutes(1))));

    Decision<MoverSubject> good = on(device("alice", "dev-phone", DeviceEventType.COMPLIANT, "mdm-6",
        later(Duration.ofHours(1))));

    assertThat(good.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
            AuthenticatorCommand::getCommandId)
        .containsExactly(tuple(CommandAction.RESUME_AUTHENTICATOR, "a-phone",
            Ids.derive(WORKER, "mdm-6", "RESUME_AUTHENTICATOR", "a-phone")));
    assertThat(factor("a-admin-held").getStatus()).isEqualTo(MoverFactorStatus.SUSPENDED);
  }

  @Test
  void aBindingOnANonCompliantDeviceIsSuspended() {
    on(joiner("alice", "engineer", false, T0));
    on(device("alice", "dev-phone", DeviceEventType.NONCOMPLIANT, "mdm-5", T0));

    Decision<MoverSubject> bind = on(bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null,
        later(Duration.ofMinutes(1))));

    assertThat(bind.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCommandId)
        .containsExactly(tuple(CommandAction.SUSPEND_AUTHENTICATOR,
            Ids.derive(WORKER, "mdm-5", "SUSPEND_AUTHENTICATOR", "a-phone")));
  }

  @Test
  void aWipedOrRetiredDeviceLosesItsFactorsWithoutAnIncident() {
    twoFactorsOnTwoDevices(false);

    Decision<MoverSubject> wiped = on(device("alice", "dev-phone", DeviceEventType.RETIRED, "mdm-7", now));

    assertThat(wiped.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
            AuthenticatorCommand::getPolicyRef)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-phone", PolicyRefs.INVALIDATION));
    assertThat(wiped.audits()).extracting(AuditEvent.Builder::getSeverity).containsOnly(Severity.INFO);
    assertThat(recoveries(wiped)).isEmpty();
    assertThat(wiped.notifications()).extracting(SubjectNotification::getTopic).containsExactly("factor.removed");
  }

  private static Set<String> commandIds(List<AuthenticatorCommand> commands) {
    return commands.stream().map(AuthenticatorCommand::getCommandId).collect(Collectors.toSet());
  }

  private static MoverSubject withoutRecentIds(MoverSubject state) {
    MoverSubject s = copy(state);
    s.setRecentEventIds(List.of());
    s.getFactors().forEach(f -> f.setFirstSeenAt(T0));
    return s;
  }
}
