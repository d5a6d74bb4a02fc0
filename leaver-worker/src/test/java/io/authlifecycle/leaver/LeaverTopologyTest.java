package io.authlifecycle.leaver;

import static io.authlifecycle.leaver.LeaverFixtures.ALICE;
import static io.authlifecycle.leaver.LeaverFixtures.applied;
import static io.authlifecycle.leaver.LeaverFixtures.bound;
import static io.authlifecycle.leaver.LeaverFixtures.commandId;
import static io.authlifecycle.leaver.LeaverFixtures.failed;
import static io.authlifecycle.leaver.LeaverFixtures.hr;
import static io.authlifecycle.leaver.LeaverFixtures.leaver;
import static io.authlifecycle.leaver.LeaverFixtures.withServiceIdentities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.RevokeScope;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every leaver decision through the production topology, with the wall clock moved by hand. */
class LeaverTopologyTest {

  private final TopologyHarness harness = new TopologyHarness(new LeaverWorker());
  /** Every audit record read so far, to verify the chain at the end of a test. */
  private final List<AuditEvent> auditTrail = new ArrayList<>();

  @AfterEach
  void verifyAuditChainsAndClose() {
    auditTrail.addAll(harness.read(Topics.AUDIT));
    assertThat(AuditChainVerifier.verify(auditTrail).breaks()).isEmpty();
    harness.close();
  }

  private void hrEvent(SpecificRecord event) {
    harness.pipe(Topics.HR_WORKER_EVENTS, ALICE, (io.authlifecycle.avro.WorkerEvent) event);
  }

  private void fact(SpecificRecord fact) {
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, ALICE, fact);
  }

  private List<AuthenticatorCommand> commands() {
    List<KeyValue<String, AuthenticatorCommand>> keyed = harness.readKeyed(Topics.COMMANDS_LEAVER);
    assertThat(keyed).allSatisfy(kv -> assertThat(kv.key).isEqualTo(ALICE));
    return keyed.stream().map(kv -> kv.value).toList();
  }

  private List<AuditEvent> audits() {
    List<AuditEvent> read = harness.read(Topics.AUDIT);
    auditTrail.addAll(read);
    return read;
  }

  private LeaverCaseState storedCase() {
    return harness.<String, LeaverCaseState>store(LeaverTopology.casesStoreName(harness.context())).get(ALICE);
  }

  private double gauge(String name) {
    return harness.context().metrics().registry().get(name).gauge().value();
  }

  private double decisions(String decision) {
    return harness.context().metrics().registry().get("lifecycle.decisions").tag("decision", decision).counter().count();
  }

  @Test
  void revokesEveryFactorAndEndsSessionsWhenALeaverBecomesEffective() {
    Instant now = harness.now();
    hrEvent(hr("hr-1", WorkerEventType.JOINER, now, now));
    fact(bound("f-1", "a-1", now));

    hrEvent(leaver("hr-2", now, now));

    String correlation = "leaver:alice:hr-2";
    assertThat(commands()).containsExactly(
        AuthenticatorCommand.newBuilder().setCommandId(commandId("hr-2", CommandAction.REVOKE_ALL, "initial"))
            .setEventTime(now).setCausationId("hr-2").setCausationTime(now).setCorrelationId(correlation)
            .setSubjectId(ALICE).setAction(CommandAction.REVOKE_ALL).setRevokeScope(new RevokeScope(true, true, true))
            .setReason("leaver effective: revoke everything").setPolicyRef("NIST SP 800-63B-4 4.5")
            .setIssuedBy("leaver-worker").build(),
        AuthenticatorCommand.newBuilder().setCommandId(commandId("hr-2", CommandAction.TERMINATE_SESSIONS, "initial"))
            .setEventTime(now).setCausationId("hr-2").setCausationTime(now).setCorrelationId(correlation)
            .setSubjectId(ALICE).setAction(CommandAction.TERMINATE_SESSIONS)
            .setReason("leaver effective: revoke everything").setPolicyRef("NIST SP 800-63B-4 4.5")
            .setIssuedBy("leaver-worker").build());
    AuditEvent requested = audits().get(0);
    assertThat(requested.getAction()).isEqualTo("leaver.revocation.requested");
    assertThat(requested.getWorker()).isEqualTo("leaver-worker");
    assertThat(requested.getPolicyRef()).isEqualTo("NIST SP 800-63B-4 4.5");
    assertThat(requested.getControlRefs()).containsExactly("NIST CSF 2.0 PR.AA-01");
    assertThat(requested.getSequence()).isEqualTo(1);
    assertThat(storedCase().getPhase()).isEqualTo(LeaverPhase.TERMINATED);
    assertThat(storedCase().getRevocation().getPendingAuthenticatorIds()).containsExactly("a-1");
    assertThat(decisions("REVOKE_ALL")).isEqualTo(1.0);
    assertThat(decisions("leaver.revocation.requested")).isEqualTo(1.0);
    assertThat(harness.context().metrics().registry().get("lifecycle.decision.latency").tag("decision", "REVOKE_ALL")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void aFutureDatedLeaverFiresAtItsEffectiveTimeAndNotBefore() {
    Instant effective = harness.now().plus(Duration.ofDays(3));
    hrEvent(leaver("hr-2", harness.now(), effective));
    assertThat(audits()).extracting(AuditEvent::getAction, AuditEvent::getOutcome)
        .containsExactly(tuple("leaver.scheduled", AuditOutcome.SCHEDULED));
    assertThat(gauge(LeaverGauges.SCHEDULED)).isEqualTo(1.0);

    harness.advance(Duration.between(harness.now(), effective).minusSeconds(1));
    assertThat(commands()).isEmpty();

    harness.advance(Duration.ofSeconds(1));
    List<AuthenticatorCommand> fired = commands();
    assertThat(fired).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
    assertThat(fired).extracting(AuthenticatorCommand::getEventTime).containsOnly(effective);
    assertThat(fired).extracting(AuthenticatorCommand::getCausationTime).containsOnly(effective);
    assertThat(audits()).extracting(AuditEvent::getAction).containsExactly("leaver.revocation.requested");
    assertThat(gauge(LeaverGauges.SCHEDULED)).isEqualTo(0.0);
  }

  @Test
  void aLeaverCancelledBeforeItsTimeNeverRevokes() {
    Instant effective = harness.now().plus(Duration.ofHours(6));
    hrEvent(leaver("hr-2", harness.now(), effective));
    harness.advance(Duration.ofHours(1));

    hrEvent(hr("hr-3", WorkerEventType.LEAVER_CANCELLED, harness.now(), effective));
    harness.advance(Duration.ofHours(6));

    assertThat(commands()).isEmpty();
    assertThat(audits()).extracting(AuditEvent::getAction, AuditEvent::getOutcome).containsExactly(
        tuple("leaver.scheduled", AuditOutcome.SCHEDULED), tuple("leaver.cancelled", AuditOutcome.CANCELLED));
    assertThat(harness.<String, Object>store(io.authlifecycle.core.timers.TimerIndex.byOwnerName("leaver-worker"))
        .approximateNumEntries()).isZero();
    assertThat(gauge(LeaverGauges.SCHEDULED)).isEqualTo(0.0);
  }

  @Test
  void aRehireBeforeTheEffectiveTimeCancelsTheLeaver() {
    Instant effective = harness.now().plus(Duration.ofHours(6));
    hrEvent(leaver("hr-2", harness.now(), effective));

    hrEvent(hr("hr-3", WorkerEventType.REHIRE, harness.now(), harness.now()));
    harness.advance(Duration.ofHours(7));

    assertThat(commands()).isEmpty();
    assertThat(audits()).extracting(AuditEvent::getAction).containsExactly("leaver.scheduled", "leaver.cancelled");
  }

  @Test
  void aSecondLeaverReschedulesTheTimerInsteadOfAddingOne() {
    Instant first = harness.now().plus(Duration.ofHours(2));
    Instant second = harness.now().plus(Duration.ofHours(5));
    hrEvent(leaver("hr-2", harness.now(), first));

    hrEvent(leaver("hr-3", harness.now(), second));
    harness.advance(Duration.ofHours(3));
    assertThat(commands()).isEmpty();
    harness.advance(Duration.ofHours(2));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCausationId,
            AuthenticatorCommand::getCorrelationId)
        .containsExactly(tuple(CommandAction.REVOKE_ALL, "hr-3", "leaver:alice:hr-2"),
            tuple(CommandAction.TERMINATE_SESSIONS, "hr-3", "leaver:alice:hr-2"));
    assertThat(audits()).extracting(AuditEvent::getAction)
        .containsExactly("leaver.scheduled", "leaver.rescheduled", "leaver.revocation.requested");
  }

  @Test
  void aDuplicateLeaverChangesNothingAndEmitsNothing() {
    hrEvent(leaver("hr-2", harness.now(), harness.now()));
    assertThat(commands()).hasSize(2);
    assertThat(audits()).hasSize(1);
    LeaverCaseState before = storedCase();

    hrEvent(leaver("hr-2", harness.now(), harness.now()));

    assertThat(commands()).isEmpty();
    assertThat(audits()).isEmpty();
    assertThat(storedCase()).isEqualTo(before);
  }

  @Test
  void aLeaverForASubjectNeverSeenIsRevokedAllTheSame() {
    hrEvent(leaver("hr-2", harness.now(), harness.now().minus(Duration.ofDays(2))));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
    AuditEvent requested = audits().get(0);
    assertThat(requested.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(requested.getDetails()).containsEntry("subjectKnown", "false");
  }

  @Test
  void aFactorBoundAfterTerminationIsRevokedAtOnceAsAHighSeverityAnomaly() {
    hrEvent(leaver("hr-2", harness.now(), harness.now()));
    commands();
    audits();
    harness.advance(Duration.ofSeconds(20));

    fact(bound("f-9", "a-9", harness.now()));

    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
            AuthenticatorCommand::getCommandId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-9", commandId("f-9", CommandAction.REVOKE_AUTHENTICATOR, "a-9")),
            tuple(CommandAction.TERMINATE_SESSIONS, null, commandId("f-9", CommandAction.TERMINATE_SESSIONS, "a-9")));
    assertThat(audits()).extracting(AuditEvent::getAction, AuditEvent::getOutcome, AuditEvent::getSeverity,
            AuditEvent::getAuthenticatorId)
        .containsExactly(tuple("factor.bound.after.termination", AuditOutcome.ANOMALY, Severity.HIGH, "a-9"));
  }

  @Test
  void completesWhenTheIdpConfirmsAndAuditsTheElapsedTimeFromTheHrEvent() {
    Instant hrTime = harness.now();
    hrEvent(leaver("hr-2", hrTime, hrTime));
    String revokeAll = commandId("hr-2", CommandAction.REVOKE_ALL, "initial");
    harness.advance(Duration.ofMillis(1500));

    fact(applied("f-0", commandId("hr-2", CommandAction.TERMINATE_SESSIONS, "initial"), CommandAction.TERMINATE_SESSIONS,
        harness.now()));
    fact(applied("f-1", revokeAll, CommandAction.REVOKE_ALL, harness.now()));

    AuditEvent completed = audits().get(1);
    assertThat(completed.getAction()).isEqualTo("leaver.completed");
    assertThat(completed.getOutcome()).isEqualTo(AuditOutcome.COMPLETED);
    assertThat(completed.getDetails()).containsEntry("elapsedMillis", "1500");
    harness.advance(Duration.ofMinutes(10));
    assertThat(audits()).isEmpty();
    assertThat(commands()).hasSize(2);
  }

  @Test
  void anUnconfirmedRevocationIsEscalatedAtTheDeadlineAndReissuedOnce() {
    hrEvent(leaver("hr-2", harness.now(), harness.now()));
    assertThat(commands()).hasSize(2);
    audits();

    harness.advance(Duration.ofMinutes(5));

    String reissue = commandId("hr-2", CommandAction.REVOKE_ALL, "reissue-1");
    String sessionsReissue = commandId("hr-2", CommandAction.TERMINATE_SESSIONS, "reissue-1");
    assertThat(commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCommandId)
        .containsExactly(tuple(CommandAction.REVOKE_ALL, reissue), tuple(CommandAction.TERMINATE_SESSIONS, sessionsReissue));
    assertThat(audits()).extracting(AuditEvent::getAction, AuditEvent::getSeverity, AuditEvent::getCommandIds)
        .containsExactly(tuple("leaver.revocation.overdue", Severity.HIGH, List.of(reissue, sessionsReissue)));
    assertThat(gauge(LeaverGauges.OVERDUE)).isEqualTo(1.0);
    assertThat(decisions("leaver.revocation.overdue")).isEqualTo(1.0);

    fact(applied("f-0", sessionsReissue, CommandAction.TERMINATE_SESSIONS, harness.now()));
    fact(applied("f-1", reissue, CommandAction.REVOKE_ALL, harness.now()));

    assertThat(audits()).extracting(AuditEvent::getAction).containsExactly("leaver.completed");
    assertThat(gauge(LeaverGauges.OVERDUE)).isEqualTo(0.0);
    harness.advance(Duration.ofMinutes(10));
    assertThat(commands()).isEmpty();
    assertThat(audits()).isEmpty();
  }

  @Test
  void aRevocationStillUnconfirmedAfterTheReissueEscalatesToCriticalAndIssuesNothingMore() {
    hrEvent(leaver("hr-2", harness.now(), harness.now()));
    harness.advance(Duration.ofMinutes(5));
    commands();
    audits();

    harness.advance(Duration.ofMinutes(5));
    harness.advance(Duration.ofMinutes(30));

    assertThat(commands()).isEmpty();
    assertThat(audits()).extracting(AuditEvent::getAction, AuditEvent::getSeverity)
        .containsExactly(tuple("leaver.revocation.overdue", Severity.CRITICAL));
    assertThat(gauge(LeaverGauges.OVERDUE)).isEqualTo(1.0);
  }

  @Test
  void aFailedRevokeAllIsAuditedAsAnIncidentAndStillTracked() {
    hrEvent(leaver("hr-2", harness.now(), harness.now()));
    audits();

    fact(failed("f-1", commandId("hr-2", CommandAction.REVOKE_ALL, "initial"), CommandAction.REVOKE_ALL, harness.now()));

    assertThat(audits()).extracting(AuditEvent::getAction, AuditEvent::getOutcome, AuditEvent::getSeverity)
        .containsExactly(tuple("leaver.revocation.failed", AuditOutcome.FAILED, Severity.HIGH));
    assertThat(storedCase().getRevocation()).isNotNull();
  }

  @Test
  void namesEachServiceIdentityTheLeaverOwned() {
    hrEvent(withServiceIdentities(hr("hr-1", WorkerEventType.JOINER, harness.now(), harness.now()), "svc-build"));

    hrEvent(withServiceIdentities(leaver("hr-2", harness.now(), harness.now()), "svc-deploy"));

    assertThat(audits()).filteredOn(a -> a.getAction().equals("nhi.owner.left"))
        .extracting(a -> a.getDetails().get("serviceIdentity"), AuditEvent::getPolicyRef)
        .containsExactly(tuple("svc-build", "OWASP NHI1:2025 Improper Offboarding"),
            tuple("svc-deploy", "OWASP NHI1:2025 Improper Offboarding"));
  }
}
