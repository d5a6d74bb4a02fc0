package io.authlifecycle.core.timers;

import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Timers kept in two state stores: one ordered by due time (so firing reads only what is due),
 * one by (owner, kind) to cancel or reschedule. One timer per (owner, kind); scheduling again
 * replaces it.
 *
 * <p>A worker whose own state records the due time of each timer it has pending (the mover keeps
 * its subject's one timer in its registry entry) needs no owner store: it names the due time it
 * replaces or cancels ({@link #schedule(TimerEntry, Instant)}, {@link #cancel(String, String, Instant)}),
 * and the index is the by-due store alone ({@link #dueOnlyStoreBuilders}): one store write and one
 * changelog record per change instead of two, and one store less to restore.
 */
public final class TimerIndex {

  /** Digits of a due time, zero-padded so the store's byte order is due-time order. */
  private static final int DUE_DIGITS = 19;
  private static final char SEP = '\u0000';
  private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

  private final KeyValueStore<String, TimerEntry> byDue;
  private final KeyValueStore<String, Long> byOwner;
  /**
   * No pending timer is due before this time. A tick before it reads nothing, and a tick after it
   * starts its range here: a RocksDB range scan is not bounded above, so every scan walks all the
   * deleted (fired or cancelled) timer keys compaction has not removed yet, up to the next live one.
   * Zero (unknown) after a start, so the first tick scans in full.
   */
  private long lowWater;

  public TimerIndex(KeyValueStore<String, TimerEntry> byDue, KeyValueStore<String, Long> byOwner) {
    this.byDue = byDue;
    this.byOwner = byOwner;
  }

  /** Opens the index from a processor's connected stores: both, or the by-due store alone (owner-tracked timers). */
  public static TimerIndex open(ProcessingContext context, String prefix) {
    KeyValueStore<String, Long> byOwner;
    try {
      byOwner = context.getStateStore(byOwnerName(prefix));
    } catch (RuntimeException notConnected) {
      byOwner = null;
    }
    return new TimerIndex(context.getStateStore(byDueName(prefix)), byOwner);
  }

  /**
   * No pending timer is due before this time (epoch millis): a lower bound, zero after a start
   * until the first firing has read the index.
   */
  public long notDueBefore() {
    return lowWater;
  }

  /** Whether the index keeps its own owner store; if not, callers name the due time they replace or cancel. */
  public boolean tracksOwners() {
    return byOwner != null;
  }

  public static String byDueName(String prefix) {
    return prefix + "-timers-by-due";
  }

  public static String byOwnerName(String prefix) {
    return prefix + "-timers-by-owner";
  }

  /** The two persistent, logged stores a processor using the index must be connected to. */
  public static List<StoreBuilder<?>> storeBuilders(String prefix) {
    return List.of(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(byDueName(prefix)),
            Serdes.String(), AvroSerde.of(TimerEntry.class)),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(byOwnerName(prefix)),
            Serdes.String(), Serdes.Long()));
  }

  /** The by-due store alone, for a worker whose state records its pending timers' due times. */
  public static List<StoreBuilder<?>> dueOnlyStoreBuilders(String prefix) {
    return List.of(storeBuilders(prefix).get(0));
  }

  public static List<String> storeNames(String prefix) {
    return List.of(byDueName(prefix), byOwnerName(prefix));
  }

  /**
   * Schedules a timer replacing the pending one of the same owner and kind, which is due at
   * {@code replacing} (null: none pending). Without an owner store this is how a timer is moved;
   * with one, the owner store is trusted over {@code replacing}.
   */
  public void schedule(TimerEntry entry, Instant replacing) {
    if (byOwner != null) {
      schedule(entry);
      return;
    }
    checkDue(entry);
    if (replacing != null) {
      byDue.delete(dueKey(replacing.toEpochMilli(), entry.getOwner(), entry.getKind()));
    }
    long due = entry.getDueAt().toEpochMilli();
    lowWater = Math.min(lowWater, due);
    byDue.put(dueKey(due, entry.getOwner(), entry.getKind()), entry);
  }

  /** Cancels the pending timer of this owner and kind due at {@code due} (null: none pending). */
  public Optional<TimerEntry> cancel(String owner, String kind, Instant due) {
    if (byOwner != null) {
      return cancel(owner, kind);
    }
    return due == null ? Optional.empty() : Optional.ofNullable(byDue.delete(dueKey(due.toEpochMilli(), owner, kind)));
  }

  private static void checkDue(TimerEntry entry) {
    if (entry.getDueAt().toEpochMilli() < 0) {
      throw new IllegalArgumentException("due time before the epoch: " + entry.getDueAt());
    }
  }

  private KeyValueStore<String, Long> owners() {
    if (byOwner == null) {
      throw new IllegalStateException("this timer index keeps no owner store: name the due time to replace or cancel");
    }
    return byOwner;
  }

  /** Schedules a timer, replacing any pending one of the same owner and kind. */
  public void schedule(TimerEntry entry) {
    checkDue(entry);
    KeyValueStore<String, Long> byOwner = owners();
    String ownerKey = ownerKey(entry.getOwner(), entry.getKind());
    Long previous = byOwner.get(ownerKey);
    if (previous != null) {
      byDue.delete(dueKey(previous, entry.getOwner(), entry.getKind()));
    }
    long due = entry.getDueAt().toEpochMilli();
    lowWater = Math.min(lowWater, due);
    byOwner.put(ownerKey, due);
    byDue.put(dueKey(due, entry.getOwner(), entry.getKind()), entry);
  }

  /**
   * Cancels a pending timer; returns it if there was one. Cancelling a timer that is not pending
   * writes nothing: no tombstone in the store or its changelog.
   */
  public Optional<TimerEntry> cancel(String owner, String kind) {
    KeyValueStore<String, Long> byOwner = owners();
    String ownerKey = ownerKey(owner, kind);
    if (byOwner.get(ownerKey) == null) {
      return Optional.empty();
    }
    Long due = byOwner.delete(ownerKey);
    return Optional.ofNullable(byDue.delete(dueKey(due, owner, kind)));
  }

  public Optional<TimerEntry> get(String owner, String kind) {
    Long due = owners().get(ownerKey(owner, kind));
    return due == null ? Optional.empty() : Optional.ofNullable(byDue.get(dueKey(due, owner, kind)));
  }

  /** Every pending timer of one owner, by kind. */
  public List<TimerEntry> pending(String owner) {
    List<TimerEntry> result = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = owners().prefixScan(owner + SEP, PREFIX_SERIALIZER)) {
      while (it.hasNext()) {
        KeyValue<String, Long> next = it.next();
        TimerEntry entry = byDue.get(dueKey(next.value, owner, next.key.substring(owner.length() + 1)));
        if (entry != null) {
          result.add(entry);
        }
      }
    }
    return result;
  }

  /** Cancels every pending timer of one owner whose kind starts with the prefix; returns how many. */
  public int cancelAll(String owner, String kindPrefix) {
    int cancelled = 0;
    for (TimerEntry entry : pending(owner)) {
      if (entry.getKind().startsWith(kindPrefix)) {
        cancel(owner, entry.getKind());
        cancelled++;
      }
    }
    return cancelled;
  }

  /**
   * Fires, in due order, at most {@code max} timers due at or before {@code now}: each is removed
   * before {@code onFire} sees it, so a handler may schedule the same (owner, kind) again.
   * Reads only the due range of the index.
   */
  public int fireDue(long now, int max, Consumer<TimerEntry> onFire) {
    if (now < lowWater) {
      return 0;
    }
    List<KeyValue<String, TimerEntry>> due = new ArrayList<>();
    boolean more;
    try (KeyValueIterator<String, TimerEntry> it = byDue.range(dueKey(lowWater, "", ""), padded(now) + '\uffff')) {
      while (it.hasNext() && due.size() < max) {
        due.add(it.next());
      }
      more = it.hasNext();
    }
    if (more) {
      // A full batch: what is left is due at or after the last one fired.
      lowWater = due.get(due.size() - 1).value.getDueAt().toEpochMilli();
    } else {
      lowWater = nextDueAfter(now);
    }
    // Handlers run after the mark moved: whatever they schedule lowers it again.
    for (KeyValue<String, TimerEntry> kv : due) {
      TimerEntry entry = kv.value;
      byDue.delete(kv.key);
      if (byOwner != null) {
        byOwner.delete(ownerKey(entry.getOwner(), entry.getKind()));
      }
      onFire.accept(entry);
    }
    return due.size();
  }

  /** The due time of the first pending timer after {@code now}, or {@link Long#MAX_VALUE} if there is none. */
  private long nextDueAfter(long now) {
    try (KeyValueIterator<String, TimerEntry> it = byDue.range(dueKey(now + 1, "", ""), padded(Long.MAX_VALUE) + '\uffff')) {
      return it.hasNext() ? it.next().value.getDueAt().toEpochMilli() : Long.MAX_VALUE;
    }
  }

  private static String ownerKey(String owner, String kind) {
    return owner + SEP + kind;
  }

  /** The by-due store key of a timer; public for read-only queries. */
  public static String dueKey(long due, String owner, String kind) {
    return padded(due) + SEP + owner + SEP + kind;
  }

  /** The same text as {@code String.format("%019d", due)} for a due time at or after the epoch, without the formatter's cost on every timer write. */
  static String padded(long due) {
    String digits = Long.toString(due);
    if (due < 0 || digits.length() >= DUE_DIGITS) {
      return String.format("%0" + DUE_DIGITS + "d", due);
    }
    StringBuilder out = new StringBuilder(DUE_DIGITS);
    for (int i = digits.length(); i < DUE_DIGITS; i++) {
      out.append('0');
    }
    return out.append(digits).toString();
  }
}
