package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decision 4: more than the allowed requests in the window lock the subject for recovery and cancel what is open. */
class RateLimitTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void theFourthRequestIn24HoursLocksTheSubjectAndCancelsTheOpenRequest() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    submit(h, helpDesk(h, SUBJECT, "r-2"));
    submit(h, helpDesk(h, SUBJECT, "r-3"));
    drain();

    submit(h, helpDesk(h, SUBJECT, "r-4"));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.locked", "recovery.cancelled", "recovery.subject-notified",
        "recovery.subject-notified", "recovery.refused");
    AuditEvent locked = only(audits, "recovery.locked");
    assertThat(locked.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(locked.getOutcome()).isEqualTo(AuditOutcome.ESCALATED);
    assertThat(locked.getReason()).isEqualTo("4 recovery requests within PT24H (limit 3)");
    assertThat(locked.getDetails()).containsEntry("lockedUntil", h.now().plus(Duration.ofHours(24)).toString());
    AuditEvent cancelled = only(audits, "recovery.cancelled");
    assertThat(cancelled.getDetails()).containsEntry("requestId", "r-1");
    assertThat(cancelled.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(only(audits, "recovery.refused").getDetails()).containsEntry("rule", "rate-limit").containsEntry("requestId", "r-4");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getRequestId, ApprovalRequested::getStatus)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("r-1", ApprovalStatus.CANCELLED));
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic)
        .containsExactly("recovery.cancelled", "recovery.locked");
  }

  @Test
  void whileLockedEveryRequestIsRefusedUntilTheLockRunsOut() {
    known(h, SUBJECT, false);
    for (int i = 1; i <= 4; i++) {
      submit(h, helpDesk(h, SUBJECT, "r-" + i));
    }
    drain();

    h.advance(Duration.ofHours(23));
    submit(h, helpDesk(h, SUBJECT, "r-5"));
    AuditEvent refused = only(h.read(Topics.AUDIT), "recovery.refused");
    assertThat(refused.getDetails()).containsEntry("rule", "locked");
    assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);

    h.advance(Duration.ofHours(1));
    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("recovery.unlocked");
    submit(h, helpDesk(h, SUBJECT, "r-6"));
    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("recovery.requested", "recovery.subject-notified");
  }

  @Test
  void requestsOutsideTheWindowDoNotCount() {
    known(h, SUBJECT, false);
    for (int i = 1; i <= 3; i++) {
      submit(h, helpDesk(h, SUBJECT, "r-" + i));
    }
    h.advance(Duration.ofHours(25));
    drain();

    submit(h, helpDesk(h, SUBJECT, "r-4"));

    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("recovery.requested", "recovery.subject-notified");
  }

  @Test
  void theLimitAndWindowAreConfigurable() {
    try (TopologyHarness strict = RecoveryFixtures.harness(Map.of("recovery.rate-limit.requests", "1",
        "recovery.rate-limit.window", "1h", "recovery.lock.duration", "2h"))) {
      known(strict, SUBJECT, false);
      submit(strict, helpDesk(strict, SUBJECT, "r-1"));
      strict.read(Topics.AUDIT);

      submit(strict, helpDesk(strict, SUBJECT, "r-2"));

      AuditEvent locked = only(strict.read(Topics.AUDIT), "recovery.locked");
      assertThat(locked.getReason()).isEqualTo("2 recovery requests within PT1H (limit 1)");
      assertThat(locked.getDetails()).containsEntry("lockedUntil", strict.now().plus(Duration.ofHours(2)).toString());
    }
  }

  private void drain() {
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
  }
}
