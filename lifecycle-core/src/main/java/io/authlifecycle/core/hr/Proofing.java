package io.authlifecycle.core.hr;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The request for identity proofing that precedes any enrollment on an identity not verified at the
 * level it needs (an unverified joiner, a move into a role that needs more): the help desk always
 * (it runs in-person and remote proofing), the manager as well when HR names one.
 */
public final class Proofing {

  /** The notification topic of a proofing request. */
  public static final String TOPIC = "enrollment.proofing.required";

  private Proofing() {}

  public static List<SubjectNotification> request(String worker, String subjectId, String managerId, String message,
      String causationId, String correlationId, Instant now) {
    List<SubjectNotification> out = new ArrayList<>();
    if (managerId != null && !managerId.isBlank()) {
      out.add(Decisions.notification(worker, subjectId, RecipientRole.MANAGER, List.of(Channel.WORK_EMAIL), TOPIC,
          message, causationId, correlationId, now).setRecipientId(managerId).build());
    }
    out.add(Decisions.notification(worker, subjectId, RecipientRole.HELP_DESK, List.of(Channel.HELP_DESK), TOPIC,
        message, causationId, correlationId, now).build());
    return out;
  }
}
