package io.authlifecycle.mover.registry;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.suspended;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.mover.registry.Step.Audit;
import io.authlifecycle.mover.registry.Step.Cause;
import io.authlifecycle.mover.registry.Step.Command;
import io.authlifecycle.mover.registry.Step.Notice;
import io.authlifecycle.mover.registry.Step.Recovery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeviceIncidentsTest extends RegistryFixture {

  private void twoFactorsOnTwoDevices(boolean privileged) {
    on(joiner("alice", privileged ? "admin" : "engineer", privileged, T0));
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
  }

  @Test
  void aLostDeviceRevokesItsFactorsEndsSessionsNotifiesOnOtherChannelsAndRebindsNormallyWhenTheRestMeetTheLevel() {
    twoFactorsOnTwoDevices(false);
    Instant lostAt = later(Duration.ofDays(1));

    Outcome loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt));

    Cause cause = new Cause("mdm-1", lostAt, "device-loss:alice:mdm-1");
    assertThat(commands(loss)).extracting(Command::commandId, Command::action, Command::authenticatorId, Command::policyRef)
        .containsExactly(
            tuple(rules.commandId("mdm-1", CommandAction.REVOKE_AUTHENTICATOR, "a-phone"),
                CommandAction.REVOKE_AUTHENTICATOR, "a-phone", PolicyRefs.LOSS_THEFT),
            tuple(rules.commandId("mdm-1", CommandAction.TERMINATE_SESSIONS, "device:dev-phone"),
                CommandAction.TERMINATE_SESSIONS, null, PolicyRefs.LOSS_THEFT),
            tuple(rules.commandId("mdm-1", CommandAction.ISSUE_ENROLLMENT_TICKET, "REBIND"),
                CommandAction.ISSUE_ENROLLMENT_TICKET, null, PolicyRefs.BINDING));
    assertThat(commands(loss)).allSatisfy(c -> assertThat(c.cause()).isEqualTo(cause));
    Command ticket = commands(loss).get(2);
    assertThat(ticket.ticket().purpose()).isEqualTo(TicketPurpose.REBIND);
    assertThat(ticket.ticket().expiresAt()).isEqualTo(lostAt.plus(Duration.ofHours(24)));
    assertThat(notices(loss)).singleElement().satisfies(n -> {
      assertThat(n.recipient()).isEqualTo(RecipientRole.SUBJECT);
      assertThat(n.channels()).containsExactly(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL);
      assertThat(n.topic()).isEqualTo("device.lost");
    });
    assertThat(recoveries(loss)).isEmpty();
    assertThat(audits(loss)).filteredOn(a -> a.action().equals("mover.factor.revoke-requested"))
        .singleElement().satisfies(a -> {
          assertThat(a.severity()).isEqualTo(Severity.HIGH);
          assertThat(a.details()).containsEntry("ocsf.type_uid", "300111").containsEntry("deviceId", "dev-phone");
        });
    assertThat(factor("a-phone").gone()).isTrue();
    assertThat(factor("a-key").usable()).isTrue();
  }

  @Test
  void aLossThatLeavesTooLittleBecomesARecoveryRequestNotATicket() {
    on(joiner("alice", "admin", true, T0));
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-laptop", null, T0));

    Outcome loss = on(device("alice", "dev-phone", DeviceEventType.STOLEN, "mdm-2", now));

    assertThat(commands(loss)).extracting(Command::action)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);
    assertThat(recoveries(loss)).containsExactly(new Recovery(rules.derive("mdm-2", "recovery-request"),
        List.of("a-phone"), new Cause("mdm-2", T0, "device-loss:alice:mdm-2"),
        "device dev-phone reported STOLEN; the remaining factors [OTP_APP] do not meet AAL3: re-binding needs recovery"));
    assertThat(audits(loss)).filteredOn(a -> a.action().equals("mover.device.stolen"))
        .extracting(Audit::severity).containsExactly(Severity.CRITICAL);
  }

  @Test
  void theLossOfADeviceOwnedBySomeoneHrNeverIntroducedStillRevokesAndGoesThroughRecovery() {
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));

    Outcome loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-3", now));

    assertThat(commands(loss)).extracting(Command::action, Command::authenticatorId).containsExactly(
        tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-phone"), tuple(CommandAction.TERMINATE_SESSIONS, null));
    assertThat(recoveries(loss)).singleElement().satisfies(r -> assertThat(r.comment()).contains("unknown to HR"));
    assertThat(notices(loss)).extracting(Notice::channels).containsExactly(List.of(Channel.WORK_EMAIL));
  }

  @Test
  void aLossReportedBeforeTheBindingArrivesConvergesToTheSameStateAndTheSameCommands() {
    RegistryFixture inOrder = new RegistryFixture() { };
    inOrder.on(joiner("alice", "engineer", false, T0));
    inOrder.on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    List<Step> inOrderSteps = new java.util.ArrayList<>();
    inOrderSteps.addAll(inOrder.on(bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null, T0)).steps());
    inOrderSteps.addAll(inOrder.on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", T0)).steps());

    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    List<Step> reversed = new java.util.ArrayList<>();
    reversed.addAll(on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", T0)).steps());
    reversed.addAll(on(bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null, T0)).steps());

    assertThat(commandIds(reversed)).isEqualTo(commandIds(inOrderSteps)).hasSize(3);
    assertThat(factor("a-phone").requested()).isEqualTo(Factor.Request.REVOKE);
    assertThat(inOrder.factor("a-phone").requested()).isEqualTo(Factor.Request.REVOKE);
    assertThat(withoutRecentIds(SubjectCodec.encode(alice))).isEqualTo(withoutRecentIds(SubjectCodec.encode(inOrder.alice)));
  }

  @Test
  void aRepeatedLossReportChangesNothing() {
    twoFactorsOnTwoDevices(false);
    on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", now));

    Outcome again = on(device("alice", "dev-phone", DeviceEventType.STOLEN, "mdm-1b", later(Duration.ofMinutes(5))));

    assertThat(commands(again)).isEmpty();
    assertThat(actions(again)).containsExactly("mover.device.loss-repeated");
  }

  @Test
  void foundNeverReactivatesButAllowsNewBindingsOnTheDevice() {
    twoFactorsOnTwoDevices(false);
    on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", now));
    Instant foundAt = later(Duration.ofHours(3));

    Outcome found = on(device("alice", "dev-phone", DeviceEventType.FOUND, "mdm-2", foundAt));

    assertThat(commands(found)).isEmpty();
    assertThat(audits(found)).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("mover.device.found");
      assertThat(a.policyRef()).isEqualTo(PolicyRefs.LOSS_THEFT);
    });
    assertThat(factor("a-phone").gone()).isTrue();
    assertThat(commands(on(bound("alice", "a-new", FactorType.HARDWARE_PASSKEY, "dev-phone", null,
        later(Duration.ofHours(1)))))).isEmpty();
    assertThat(commands(on(bound("alice", "a-old", FactorType.OTP_APP, "dev-phone", null, T0))))
        .extracting(Command::action, Command::authenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-old"));
  }

  @Test
  void nonCompliantSuspendsTheDevicesFactorsAndCompliantResumesOnlyThoseItSuspended() {
    twoFactorsOnTwoDevices(false);
    on(bound("alice", "a-admin-held", FactorType.OTP_APP, "dev-phone", null, T0));
    on(suspended("alice", "a-admin-held", null, T0));

    Outcome bad = on(device("alice", "dev-phone", DeviceEventType.NONCOMPLIANT, "mdm-5", later(Duration.ofHours(1))));

    assertThat(commands(bad)).extracting(Command::action, Command::authenticatorId)
        .containsExactly(tuple(CommandAction.SUSPEND_AUTHENTICATOR, "a-phone"));
    assertThat(notices(bad)).extracting(Notice::topic).containsExactly("device.noncompliant");
    on(suspended("alice", "a-phone", commands(bad).get(0).commandId(), later(Duration.ofMinutes(1))));

    Outcome good = on(device("alice", "dev-phone", DeviceEventType.COMPLIANT, "mdm-6", later(Duration.ofHours(1))));

    assertThat(commands(good)).extracting(Command::action, Command::authenticatorId, Command::commandId)
        .containsExactly(tuple(CommandAction.RESUME_AUTHENTICATOR, "a-phone",
            rules.commandId("mdm-6", CommandAction.RESUME_AUTHENTICATOR, "a-phone")));
    assertThat(factor("a-admin-held").status()).isEqualTo(Factor.Status.SUSPENDED);
  }

  @Test
  void aBindingOnANonCompliantDeviceIsSuspended() {
    on(joiner("alice", "engineer", false, T0));
    on(device("alice", "dev-phone", DeviceEventType.NONCOMPLIANT, "mdm-5", T0));

    Outcome bind = on(bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null, later(Duration.ofMinutes(1))));

    assertThat(commands(bind)).extracting(Command::action, Command::commandId).containsExactly(
        tuple(CommandAction.SUSPEND_AUTHENTICATOR, rules.commandId("mdm-5", CommandAction.SUSPEND_AUTHENTICATOR, "a-phone")));
  }

  @Test
  void aWipedOrRetiredDeviceLosesItsFactorsWithoutAnIncident() {
    twoFactorsOnTwoDevices(false);

    Outcome wiped = on(device("alice", "dev-phone", DeviceEventType.RETIRED, "mdm-7", now));

    assertThat(commands(wiped)).extracting(Command::action, Command::authenticatorId, Command::policyRef)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-phone", PolicyRefs.INVALIDATION));
    assertThat(audits(wiped)).extracting(Audit::severity).containsOnly(Severity.INFO);
    assertThat(recoveries(wiped)).isEmpty();
    assertThat(notices(wiped)).extracting(Notice::topic).containsExactly("factor.removed");
  }

  private static Set<String> commandIds(List<Step> steps) {
    return steps.stream().filter(Command.class::isInstance).map(s -> ((Command) s).commandId()).collect(Collectors.toSet());
  }

  private static io.authlifecycle.avro.state.MoverSubject withoutRecentIds(io.authlifecycle.avro.state.MoverSubject s) {
    s.setRecentEventIds(List.of());
    s.getFactors().forEach(f -> f.setFirstSeenAt(T0));
    return s;
  }
}
