package io.authlifecycle.mover;

import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverSubject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-use hot path's point read: for each subject a task recently saw, the time before which a
 * use of each factor changes nothing ({@link FactDecisions#useHorizon}), derived from the subject's
 * stored registry entry and kept in memory, least recently used dropped first. A use answered here
 * skips reading and decoding the registry entry; anything else goes the full way. It is a copy of
 * what the store holds, never more: refreshed whenever the entry is read or stored, and emptied
 * whenever the task is (re)initialised, so after a restore, a migration or an aborted transaction it
 * starts from the store again.
 */
final class LastUses {

  /** One subject's factors in registry order, each with its horizon (null: every use is recorded). */
  private record Horizons(String[] ids, Instant[] before) {}

  private final Duration resolution;
  private final Map<String, Horizons> bySubject;

  LastUses(Duration resolution, int maxSubjects) {
    this.resolution = resolution;
    this.bySubject = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Horizons> eldest) {
        return size() > maxSubjects;
      }
    };
  }

  /** True when this use is known to change nothing: a use within the resolution of an active factor. */
  boolean skips(String subjectId, AuthenticatorUsed use) {
    Horizons horizons = bySubject.get(subjectId);
    if (horizons == null) {
      return false;
    }
    // The first factor with the id, as MoverSubjects.factor finds it.
    for (int i = 0; i < horizons.ids.length; i++) {
      if (horizons.ids[i].equals(use.getAuthenticatorId())) {
        return horizons.before[i] != null && use.getEventTime().isBefore(horizons.before[i]);
      }
    }
    return false;
  }

  /** The subject's entry as it is now stored (null: none). */
  void remember(String subjectId, MoverSubject stored) {
    if (stored == null) {
      bySubject.remove(subjectId);
      return;
    }
    List<MoverFactor> factors = stored.getFactors();
    String[] ids = new String[factors.size()];
    Instant[] before = new Instant[factors.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = factors.get(i).getAuthenticatorId();
      before[i] = FactDecisions.useHorizon(factors.get(i), resolution);
    }
    bySubject.put(subjectId, new Horizons(ids, before));
  }

  void clear() {
    bySubject.clear();
  }

  int size() {
    return bySubject.size();
  }
}
