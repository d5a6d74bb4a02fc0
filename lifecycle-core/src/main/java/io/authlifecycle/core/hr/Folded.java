package io.authlifecycle.core.hr;

import io.authlifecycle.avro.state.HrStanding;
import java.util.List;
import java.util.Optional;

/**
 * The result of folding one HR event (or the passing of time) into a standing: the standing
 * before and after, what changed, in order, and the refusal if the event asked for something the
 * table does not allow. {@code before} is a fresh UNKNOWN standing for a subject never seen.
 */
public record Folded(HrStanding before, HrStanding after, List<HrChange> changes, Refusal refusalOrNull) {

  public Folded {
    changes = List.copyOf(changes);
  }

  public boolean has(HrChange change) {
    return changes.contains(change);
  }

  public Optional<Refusal> refusal() {
    return Optional.ofNullable(refusalOrNull);
  }

  /** Whether the standing differs from the one before: the worker stores it then. */
  public boolean changed() {
    return !after.equals(before);
  }
}
