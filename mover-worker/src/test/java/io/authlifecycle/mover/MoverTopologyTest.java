package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.revoked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MoverTopologyTest {

  private static final String W = MoverWorker.NAME;

  private final TopologyHarness harness = new TopologyHarness(new MoverWorker());
  private final List<AuditEvent> audit = new ArrayList<>();

  @AfterEach
  void close() {
    harness.close();
  }

  private void aliceWithTwoFactorsOnTwoDevices(String role, boolean privileged, FactorType phoneFactor) {
    Instant t = harness.now();
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", role, privileged, t));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-phone", phoneFactor, "dev-phone", null, t));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, t));
  }

  private List<AuthenticatorCommand> commands() {
    return harness.read(Topics.COMMANDS_MOVER);
  }

  private List<AuditEvent> audits() {
    List<AuditEvent> read = harness.read(Topics.AUDIT);
    audit.addAll(read);
    return read;
  }

  @Test
  void theTopologyReKeysDeviceEventsThroughANamedRepartitionTopic() {
    String description = new MoverWorker().buildTopology(harness.context()).describe().toString();

    // The description leaves out the application id prefix of internal topics.
    assertThat(description)
        .contains("Sink: mover-device-events-by-owner-repartition-sink (topic: mover-device-events-by-owner-repartition)")
        .contains("Processor: mover-worker-device-intake-decisions (stores: [mover-worker-device-intake-audit-chain, "
            + "mover-worker-device-intake-audit-checkpoint])")
        .contains("Sub-topology: 1").doesNotContain("Sub-topology: 2")
        .contains("mover-worker-decisions").contains("mover-worker-registry");
  }

  @Test
  void aDeviceLostUnderItsDeviceKeyRevokesTheOwnersFactorsOnItEndsSessionsNotifiesAndRebinds() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.HARDWARE_PASSKEY);
    Instant lostAt = harness.now();

    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt));

    List<KeyValue<String, AuthenticatorCommand>> commands = harness.readKeyed(Topics.COMMANDS_MOVER);
    assertThat(commands).extracting(kv -> kv.key).containsOnly("alice");
    AuthenticatorCommand revoke = Decisions.command(W, CommandAction.REVOKE_AUTHENTICATOR, "alice", "mdm-1", lostAt,
        "device-loss:alice:mdm-1", "a-phone", "bound to device dev-phone reported LOST", PolicyRefs.LOSS_THEFT, lostAt)
        .setAuthenticatorId("a-phone").build();
    AuthenticatorCommand terminate = Decisions.command(W, CommandAction.TERMINATE_SESSIONS, "alice", "mdm-1", lostAt,
        "device-loss:alice:mdm-1", "device:dev-phone", "device dev-phone reported LOST", PolicyRefs.LOSS_THEFT, lostAt).build();
    AuthenticatorCommand ticket = Decisions.command(W, CommandAction.ISSUE_ENROLLMENT_TICKET, "alice", "mdm-1", lostAt,
        "device-loss:alice:mdm-1", "REBIND",
        "replace the factors of lost device dev-phone; the remaining factors [HARDWARE_PASSKEY] meet AAL2",
        PolicyRefs.BINDING, lostAt)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId("rebind-" + Ids.derive(W, "mdm-1", "ticket", "REBIND"))
            .setPurpose(TicketPurpose.REBIND)
            .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD,
                FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING, FactorType.OTP_APP))
            .setNotBefore(lostAt).setExpiresAt(lostAt.plus(Duration.ofHours(8))).setSingleUse(true)
            .setDeliveryChannel(Channel.IDP_PORTAL).build()).build();
    assertThat(commands).extracting(kv -> kv.value).containsExactly(revoke, terminate, ticket);
    assertThat(harness.read(Topics.NOTIFICATIONS)).containsExactly(Decisions.notification(W, "alice",
        RecipientRole.SUBJECT, List.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL), "device.lost",
        "Your device was reported lost. We asked for the sign-in factor that may be on it (HARDWARE_PASSKEY) to be"
            + " removed and for your sessions to be ended. If this wasn't you, contact the help desk.", "mdm-1",
        "device-loss:alice:mdm-1", lostAt).build());
    assertThat(harness.read(Topics.SYSTEM_REQUESTS)).isEmpty();
    assertThat(audits()).extracting(AuditEvent::getAction).containsExactly("mover.device.lost",
        "mover.factor.revoke-requested", "mover.sessions.terminate-requested", "mover.subject.notified",
        "mover.ticket.issue-requested");
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
    MoverSubject stored = harness.<String, MoverSubject>store("mover-worker-registry").get("alice");
    assertThat(stored.getDevices()).singleElement().satisfies(d -> assertThat(d.getBlockedBy()).isEqualTo(DeviceEventType.LOST));
  }

  @Test
  void aLossThatLeavesTooLittleFilesARecoveryRequestForApproval() {
    aliceWithTwoFactorsOnTwoDevices("admin", true, FactorType.HARDWARE_PASSKEY);
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", revoked("alice", "a-key", null, harness.now()));
    Instant lostAt = harness.now();

    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", device("alice", "dev-phone", DeviceEventType.STOLEN, "mdm-2", lostAt));

    String requestId = Ids.derive(W, "mdm-2", "recovery-request");
    assertThat(harness.read(Topics.SYSTEM_REQUESTS)).containsExactly(RecoveryRequest.newBuilder()
        .setEventId(requestId).setEventTime(lostAt).setRequestId(requestId).setKind(RecoveryRequestKind.OPEN)
        .setSubjectId("alice").setChannel(RecoveryChannel.SYSTEM).setReason(RecoveryReason.DEVICE_LOST)
        .setRequesterId(W).setLostAuthenticatorIds(List.of("a-phone")).setCausationId("mdm-2")
        .setComment("device dev-phone reported STOLEN; the remaining factors [] do not meet AAL3: re-binding needs recovery")
        .build());
    assertThat(commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);
  }

  @Test
  void aBindingThatArrivesAfterTheLossIsRevokedUnderTheLossIds() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "engineer", false, harness.now()));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, harness.now()));
    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", harness.now()));
    assertThat(commands()).extracting(AuthenticatorCommand::getAction).containsExactly(CommandAction.TERMINATE_SESSIONS);

    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-phone", FactorType.OTP_APP, "dev-phone", null, harness.now()));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCommandId).containsExactly(
        tuple(CommandAction.REVOKE_AUTHENTICATOR, Ids.derive(W, "mdm-1", "REVOKE_AUTHENTICATOR", "a-phone")),
        tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, Ids.derive(W, "mdm-1", "ISSUE_ENROLLMENT_TICKET", "REBIND")));
  }

  @Test
  void aDuplicateDeviceEventEmitsNothing() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.HARDWARE_PASSKEY);
    var lost = device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", harness.now());
    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", lost);
    commands();
    audits();
    harness.read(Topics.NOTIFICATIONS);

    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", lost);

    assertThat(commands()).isEmpty();
    assertThat(audits()).isEmpty();
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
  }

  @Test
  void nonCompliantSuspendsAndCompliantResumesThroughTheTopology() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.OTP_APP);

    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", device("alice", "dev-phone", DeviceEventType.NONCOMPLIANT, "mdm-3", harness.now()));
    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", device("alice", "dev-phone", DeviceEventType.COMPLIANT, "mdm-4", harness.now()));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.SUSPEND_AUTHENTICATOR, "a-phone"), tuple(CommandAction.RESUME_AUTHENTICATOR, "a-phone"));
  }

  @Test
  void aWipedDeviceRevokesItsFactorsWithoutSessionsOrRecovery() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.OTP_APP);

    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-phone", device("alice", "dev-phone", DeviceEventType.WIPED, "mdm-5", harness.now()));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-phone"));
    assertThat(harness.read(Topics.SYSTEM_REQUESTS)).isEmpty();
  }

  @Test
  void aRoleChangeIssuesARebindTicketAndRevokesWhenTheGracePeriodEndsOnTheWallClock() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.OTP_APP);
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", Inputs.withVerification(
        mover("alice", "admin", true, "hr-move-1", harness.now()), io.authlifecycle.avro.IdentityAssuranceLevel.IAL3,
        harness.now()));
    assertThat(commands()).extracting(AuthenticatorCommand::getAction).containsExactly(CommandAction.ISSUE_ENROLLMENT_TICKET);

    // The 8-hour ticket expires unused while the grace runs: closed, and a fresh one issued with a reminder.
    harness.advance(Duration.ofHours(8));
    assertThat(commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET, CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic)
        .contains("factor.replacement-reminder");
    harness.advance(Duration.ofHours(63));
    assertThat(commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET, CommandAction.ISSUE_ENROLLMENT_TICKET);
    harness.advance(Duration.ofHours(1));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
        AuthenticatorCommand::getPolicyRef)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-phone", PolicyRefs.OWASP_MFA_PRIVILEGED));
  }

  @Test
  void aMoveIntoARoleNeedingAHigherIdentityLevelWaitsForTheVerificationBeforeItsTicket() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.OTP_APP);
    harness.read(Topics.NOTIFICATIONS);
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", mover("alice", "admin", true, "hr-move-1", harness.now()));

    assertThat(commands()).isEmpty();
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getRecipient,
        SubjectNotification::getTopic).containsExactly(tuple(RecipientRole.MANAGER, "enrollment.proofing.required"),
            tuple(RecipientRole.HELP_DESK, "enrollment.proofing.required"),
            tuple(RecipientRole.SUBJECT, "factor.replacement-required"));
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getAction).contains("mover.privilege.raised",
        "mover.rebind.awaiting-verification");

    harness.advance(Duration.ofHours(5));
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", Inputs.withVerification(
        mover("alice", "admin", true, "hr-proofed", harness.now()), io.authlifecycle.avro.IdentityAssuranceLevel.IAL3,
        harness.now()));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, c -> c.getTicket().getPurpose())
        .containsExactly(tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, TicketPurpose.REBIND));
  }

  @Test
  void expiryRemindsTwiceThenExpiresFromTheTimerIndex() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "engineer", false, harness.now()));
    Instant expiresAt = harness.now().plus(Duration.ofDays(20));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, harness.now()));

    harness.advance(Duration.ofDays(6));
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("factor.expiring");
    harness.advance(Duration.ofDays(11));
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("factor.expiring");
    assertThat(commands()).isEmpty();
    harness.advance(Duration.ofDays(3));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCausationTime)
        .containsExactly(tuple(CommandAction.EXPIRE_AUTHENTICATOR, expiresAt));
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("factor.expired");
  }

  @Test
  void aStaleFactorIsRemindedThenRevokedAndAUseInBetweenWouldHaveMovedTheTimer() {
    staleFactorRemindedThenRevokedAfterAUseOn(use -> harness.pipe(Topics.AUTHENTICATOR_USAGE, "alice", use));
  }

  @Test
  void aUseInTheFormBeforeTheUsageTopicIsDecidedAlikeAndCountedAsMoved() {
    staleFactorRemindedThenRevokedAfterAUseOn(use -> harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", use));

    assertThat(harness.context().metrics().registry().get("lifecycle.moved.records")
        .tag("topic", Topics.AUTHENTICATOR_EVENTS.name()).tag("moved_to", Topics.AUTHENTICATOR_USAGE.name())
        .counter().count()).isEqualTo(1.0);
  }

  private void staleFactorRemindedThenRevokedAfterAUseOn(Consumer<AuthenticatorUsed> pipeUse) {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "engineer", false, harness.now()));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, harness.now()));
    harness.advance(Duration.ofDays(60));
    pipeUse.accept(Inputs.used("alice", "a-otp", harness.now()));

    harness.advance(Duration.ofDays(89));
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
    harness.advance(Duration.ofDays(1));
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("factor.unused");
    harness.advance(Duration.ofDays(14));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-otp"));
  }

  @Test
  void aUseLeavesTheEarlierTimerInPlaceAndTheTimerMovesToTheNewStalenessWhenItFiresWithNothingDue() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "engineer", false, harness.now()));
    Instant boundAt = harness.now();
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, boundAt));
    harness.advance(Duration.ofDays(60));
    Instant usedAt = harness.now();

    harness.pipe(Topics.AUTHENTICATOR_USAGE, "alice", Inputs.used("alice", "a-otp", usedAt));

    assertThat(nextDue("alice")).isEqualTo(boundAt.plus(Duration.ofDays(90)).toEpochMilli());
    harness.advance(Duration.ofDays(31));
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
    assertThat(nextDue("alice")).isEqualTo(usedAt.plus(Duration.ofDays(90)).toEpochMilli());
  }

  /** The due time of the subject's one timer in the index (by due time alone: the registry says where it is). */
  private Long nextDue(String subject) {
    List<Long> due = new ArrayList<>();
    try (KeyValueIterator<String, TimerEntry> all = harness.<String, TimerEntry>store("mover-worker-timers-by-due").all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.getOwner().equals(subject)) {
          due.add(kv.value.getDueAt().toEpochMilli());
        }
      });
    }
    assertThat(due).as("one timer per subject").hasSizeLessThanOrEqualTo(1);
    assertThat(harness.<String, MoverSubject>store("mover-worker-registry").get(subject).getScheduledDue())
        .as("the registry says where the timer is").isEqualTo(due.isEmpty() ? null : Instant.ofEpochMilli(due.get(0)));
    return due.isEmpty() ? null : due.get(0);
  }

  @Test
  void aUseAnsweredFromMemoryNeverHidesAUseAfterTheFactorEnded() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "engineer", false, harness.now()));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, harness.now()));
    MoverSubject afterBinding = harness.<String, MoverSubject>store("mover-worker-registry").get("alice");

    harness.pipe(Topics.AUTHENTICATOR_USAGE, "alice", Inputs.used("alice", "a-otp", harness.now().plusSeconds(1)));
    assertThat(harness.<String, MoverSubject>store("mover-worker-registry").get("alice")).hasToString(afterBinding.toString())
        .as("a use within the resolution writes nothing");
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", revoked("alice", "a-otp", null, harness.now().plusSeconds(2)));
    audits();
    harness.pipe(Topics.AUTHENTICATOR_USAGE, "alice", Inputs.used("alice", "a-otp", harness.now().plusSeconds(3)));

    assertThat(audits()).extracting(AuditEvent::getAction).containsExactly("mover.factor.used-after-end");
  }

  @Test
  void revokedFactorsStayInTheRegistry() {
    aliceWithTwoFactorsOnTwoDevices("engineer", false, FactorType.OTP_APP);

    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice", revoked("alice", "a-phone", null, harness.now()));

    MoverSubject stored = harness.<String, MoverSubject>store("mover-worker-registry").get("alice");
    assertThat(stored.getFactors()).extracting(f -> f.getAuthenticatorId(), f -> f.getStatus().name())
        .containsExactly(tuple("a-phone", "REVOKED"), tuple("a-key", "ACTIVE"));
  }
}
