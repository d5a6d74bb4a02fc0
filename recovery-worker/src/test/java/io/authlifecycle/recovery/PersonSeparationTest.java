package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AGENT_APPROVER_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.AGENT_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.AP2;
import static io.authlifecycle.recovery.RecoveryFixtures.MANAGER_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requester, approver and subject are three different people, compared by the HR subject of each
 * signing key, never by the free-text ids a record carries; the quorum counts people, not keys.
 */
class PersonSeparationTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  /** Hole 3: approver "jdoe" approving the recovery of subject "alice", who is himself. */
  @Test
  void anApproverWhoseHrSubjectIsTheSubjectIsRefusedThoughItSignsAsAnotherId() {
    opened(SUBJECT, false);

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", SUBJECT_KEY));

    AuditEvent refused = only(h.read(Topics.AUDIT), "approval.self");
    assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(refused.getDetails()).containsEntry("approverId", "jdoe").containsEntry("approverSubjectId", SUBJECT);
    h.advance(Duration.ofDays(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  /** Hole 1: the agent who filed the request approves it with his approver key; quorum 1 would be met. */
  @Test
  void theAgentWhoFiledTheRequestCannotApproveItWithHisApproverKey() {
    opened(SUBJECT, false);

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AGENT_APPROVER_KEY));

    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("approval.requester");
    h.advance(Duration.ofDays(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void aPersonOnTheSubjectsHrApproverListIsRefusedUnderWhateverIdItSigns() {
    opened(SUBJECT, false);

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", MANAGER_KEY));

    assertThat(only(h.read(Topics.AUDIT), "approval.ineligible").getDetails()).containsEntry("approverSubjectId", "mgr-1");
  }

  /** Hole 3: two keys of one person make one approval, so they cannot meet the privileged quorum of two. */
  @Test
  void twoKeysOfOnePersonCountOnceTowardsThePrivilegedQuorum() {
    PersonKeyFile secondKeyOfAp1 = PersonKeyFile.generate(AP1.person(), Set.of(Role.APPROVER));
    try (TopologyHarness twoKeys = RecoveryFixtures.harness(Map.of("person.keys",
        RecoveryFixtures.registry(AP1, secondKeyOfAp1, AP2, AGENT_KEY)))) {
      known(twoKeys, ADMIN, true);
      RecoveryFixtures.submit(twoKeys, helpDesk(twoKeys, ADMIN, "r-1"));
      twoKeys.read(Topics.AUDIT);
      twoKeys.read(Topics.APPROVAL_REQUESTS);

      twoKeys.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(twoKeys, ADMIN, "r-1", AP1));
      twoKeys.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(twoKeys, ADMIN, "r-1", secondKeyOfAp1));

      List<AuditEvent> audits = twoKeys.read(Topics.AUDIT);
      assertThat(actions(audits)).containsExactly("approval.counted", "approval.duplicate");
      assertThat(only(audits, "approval.duplicate").getReason()).isEqualTo("ap-1 already approved; a person counts once");
      assertThat(twoKeys.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getApprovedBy)
          .containsExactly(List.of("ap-1"));

      twoKeys.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(twoKeys, ADMIN, "r-1", AP2));
      assertThat(actions(twoKeys.read(Topics.AUDIT))).contains("approval.counted", "recovery.approved");
    }
  }

  /** Hole 3: one key registered under two approver ids, which would meet the privileged quorum of two alone. */
  @Test
  void theWorkerRefusesToStartWithOneKeyUnderTwoIdsOrTwoIdsForOneHrSubject() {
    String sameKeyAsAp2 = PersonKeyRegistry.entry(new Person("ap-2", "E1002"), Set.of(Role.APPROVER), AP1.publicKey());
    String secondIdForE1001 = RecoveryFixtures.key("ap-1b", "E1001", Role.APPROVER).registryEntry();

    assertThatThrownBy(() -> RecoveryFixtures.harness(Map.of("person.keys", AP1.registryEntry() + "," + sameKeyAsAp2)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("this key is already registered");
    assertThatThrownBy(() -> RecoveryFixtures.harness(Map.of("person.keys", AP1.registryEntry() + "," + secondIdForE1001)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HR subject E1001 is already registered as person ap-1");
  }

  @Test
  void theFirstReleasesApproverListStopsTheWorkerWithWhatToDoInstead() {
    assertThatThrownBy(() -> RecoveryFixtures.harness(Map.of("approvers.keys", "ap-1:MCowBQYDK2VwAyEA")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("person.keys");
  }

  private void opened(String subject, boolean privileged) {
    known(h, subject, privileged);
    RecoveryFixtures.submit(h, helpDesk(h, subject, "r-1"));
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
  }
}
