package io.authlifecycle.gateway.state;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.state.GatewayApplied;
import io.authlifecycle.avro.state.GatewayCursor;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.core.audit.AuditHasher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the gateway knows about one partition it owns: the commands handled there (within the
 * de-duplication horizon), each subject's audit chain head and tickets, and the binding-poll
 * cursor. Loaded from the partition of its compacted state topic on assignment; every change is
 * remembered as dirty and written in the transaction of the outcome that made it.
 */
public final class GatewayState {

  public static final String APPLIED = "applied:";
  public static final String APPLIED_DRY_RUN = "applied:dry-run:";
  public static final String SUBJECT = "subject:";
  public static final String BINDINGS_CURSOR = "cursor:bindings";

  /** A time and an id, ordered by time: the horizon and timer indexes. */
  private record Due(Instant at, String id) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int byTime = at.compareTo(o.at);
      return byTime != 0 ? byTime : id.compareTo(o.id);
    }
  }

  private final String worker;
  private final Function<GatewaySubject, Optional<Instant>> nextDue;
  private final Map<String, GatewayApplied> applied = new HashMap<>();
  private final TreeSet<Due> appliedByTime = new TreeSet<>();
  private final Map<String, GatewaySubject> subjects = new HashMap<>();
  private final TreeSet<Due> timers = new TreeSet<>();
  private final Map<String, Instant> timerOf = new HashMap<>();
  private final Map<String, SpecificRecord> dirty = new LinkedHashMap<>();
  private Instant bindingsSince;

  /** {@code nextDue}: when a subject's tickets next need the gateway (opening, expiry, pruning), if ever. */
  public GatewayState(String worker, Function<GatewaySubject, Optional<Instant>> nextDue) {
    this.worker = worker;
    this.nextDue = nextDue;
  }

  /** Loading: one record of the state topic, in offset order; null is a tombstone. */
  public void restore(String key, SpecificRecord value) {
    if (key.startsWith(APPLIED)) {
      GatewayApplied old = applied.remove(key);
      if (old != null) {
        appliedByTime.remove(new Due(old.getAppliedAt(), key));
      }
      if (value instanceof GatewayApplied a) {
        applied.put(key, a);
        appliedByTime.add(new Due(a.getAppliedAt(), key));
      }
    } else if (key.startsWith(SUBJECT)) {
      String id = key.substring(SUBJECT.length());
      if (value instanceof GatewaySubject s) {
        subjects.put(id, s);
        schedule(s);
      } else {
        subjects.remove(id);
        unschedule(id);
      }
    } else if (key.equals(BINDINGS_CURSOR) && value instanceof GatewayCursor c) {
      bindingsSince = c.getSince();
    }
  }

  /** Whether the command was handled in this mode (a dry-run acknowledgement does not count for real). */
  public boolean applied(String commandId, boolean dryRun) {
    return applied.containsKey(appliedKey(commandId, dryRun));
  }

  public void markApplied(String commandId, String subjectId, boolean dryRun, Instant now) {
    String key = appliedKey(commandId, dryRun);
    restore(key, new GatewayApplied(commandId, subjectId, now, dryRun));
    dirty.put(key, applied.get(key));
  }

  /** Real and dry-run acknowledgements are kept apart, so shadow mode never hides a command from real mode. */
  private static String appliedKey(String commandId, boolean dryRun) {
    return (dryRun ? APPLIED_DRY_RUN : APPLIED) + commandId;
  }

  public int appliedCount() {
    return applied.size();
  }

  /** Forgets handled commands older than {@code before} (tombstones); returns how many. */
  public int forgetAppliedBefore(Instant before) {
    List<Due> old = new ArrayList<>(appliedByTime.headSet(new Due(before, ""), false));
    for (Due d : old) {
      restore(d.id(), null);
      dirty.put(d.id(), null);
    }
    return old.size();
  }

  /** The subject's state as kept (mutate it, then {@link #put}); a new, empty one if none. */
  public GatewaySubject subject(String subjectId) {
    GatewaySubject s = subjects.get(subjectId);
    return s != null ? s : GatewaySubject.newBuilder().setSubjectId(subjectId).build();
  }

  public Optional<GatewaySubject> existing(String subjectId) {
    return Optional.ofNullable(subjects.get(subjectId));
  }

  public void put(GatewaySubject s) {
    subjects.put(s.getSubjectId(), s);
    dirty.put(SUBJECT + s.getSubjectId(), s);
    schedule(s);
  }

  /** Subjects whose next due time is not after {@code now}, earliest first, at most {@code max}. */
  public List<String> due(Instant now, int max) {
    List<String> ids = new ArrayList<>();
    for (Due d : timers) {
      if (d.at().isAfter(now) || ids.size() >= max) {
        break;
      }
      ids.add(d.id());
    }
    return ids;
  }

  public Optional<Instant> bindingsSince() {
    return Optional.ofNullable(bindingsSince);
  }

  public void bindingsReadUntil(Instant since) {
    bindingsSince = since;
    dirty.put(BINDINGS_CURSOR, new GatewayCursor(BINDINGS_CURSOR, since));
  }

  /**
   * Completes and chains an audit draft exactly as the core {@code AuditWriter} does (worker,
   * sequence, prevHash, hash, event id {@code worker:subject:sequence}), from the head kept here:
   * the gateway never takes a chain head from the audit topic, where others write too.
   */
  public AuditEvent chain(AuditEvent.Builder draft, Instant now) {
    GatewaySubject s = subject(draft.getSubjectId());
    long sequence = s.getAuditSequence() + 1;
    draft.setWorker(worker)
        .setEventId(worker + ":" + s.getSubjectId() + ":" + sequence)
        .setSequence(sequence)
        .setPrevHash(s.getAuditHash() == null ? AuditHasher.GENESIS : s.getAuditHash())
        .setHash("");
    if (!draft.hasEventTime()) {
      draft.setEventTime(now);
    }
    // As AuditWriter: sorted details make the record's bytes independent of the caller's map.
    draft.setDetails(draft.hasDetails() ? new TreeMap<>(draft.getDetails()) : new TreeMap<>());
    AuditEvent event = draft.build();
    event.setHash(AuditHasher.hash(event));
    s.setAuditSequence(sequence);
    s.setAuditHash(event.getHash());
    put(s);
    return event;
  }

  /** The changes since the last call, key to value (null: tombstone), in the order made. */
  public Map<String, SpecificRecord> drainChanges() {
    Map<String, SpecificRecord> changes = new LinkedHashMap<>(dirty);
    dirty.clear();
    return changes;
  }

  public int subjectCount() {
    return subjects.size();
  }

  private void schedule(GatewaySubject s) {
    unschedule(s.getSubjectId());
    nextDue.apply(s).ifPresent(at -> {
      timers.add(new Due(at, s.getSubjectId()));
      timerOf.put(s.getSubjectId(), at);
    });
  }

  private void unschedule(String subjectId) {
    Instant at = timerOf.remove(subjectId);
    if (at != null) {
      timers.remove(new Due(at, subjectId));
    }
  }
}
