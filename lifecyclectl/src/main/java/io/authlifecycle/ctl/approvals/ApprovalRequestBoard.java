package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The approval requests as approvers see them: the latest record per request id on
 * {@code recovery.approval-requests.v1} (the recovery worker republishes a request whenever its
 * approval state changes), and which of them still take decisions.
 */
public final class ApprovalRequestBoard {

  private final Map<String, ApprovalRequested> latest = new LinkedHashMap<>();

  /** Records in the order read from each partition; a later record of a request replaces the earlier. */
  public static ApprovalRequestBoard of(Collection<ApprovalRequested> records) {
    ApprovalRequestBoard board = new ApprovalRequestBoard();
    for (ApprovalRequested r : records) {
      board.latest.remove(r.getRequestId());
      board.latest.put(r.getRequestId(), r);
    }
    return board;
  }

  public Optional<ApprovalRequested> find(String requestId) {
    return Optional.ofNullable(latest.get(requestId));
  }

  /** Requests still open for decisions at {@code now}, oldest deadline first. */
  public List<ApprovalRequested> open(Instant now) {
    return latest.values().stream().filter(r -> isOpen(r, now))
        .sorted(Comparator.comparing(ApprovalRequested::getDeadline)).toList();
  }

  public static boolean isOpen(ApprovalRequested request, Instant now) {
    return request.getStatus() == ApprovalStatus.OPEN && now.isBefore(request.getDeadline());
  }

  /** Why a request takes no more decisions, or empty if it still does. */
  public static Optional<String> closedBecause(ApprovalRequested request, Instant now) {
    if (request.getStatus() != ApprovalStatus.OPEN) {
      return Optional.of("it is " + request.getStatus());
    }
    if (!now.isBefore(request.getDeadline())) {
      return Optional.of("its deadline " + request.getDeadline() + " has passed");
    }
    return Optional.empty();
  }
}
