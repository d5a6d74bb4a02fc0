package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.avro.CheckpointHead;
import io.authlifecycle.avro.state.AuditChainHead;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What a checkpoint writer keeps between checkpoints: the chain heads changed since the last one,
 * and that last checkpoint's sequence and hash. A Streams worker keeps it in a logged store, so it
 * commits with the audit records it describes; another writer (the gateway) supplies its own.
 */
public interface CheckpointLedger {

  /** Records that {@code subjectId}'s chain now ends at {@code head}. */
  void changed(String subjectId, AuditChainHead head);

  /** How many chains changed since the last checkpoint. */
  int pending();

  /** About how many bytes their heads take in a checkpoint. */
  long pendingBytes();

  /** What one head adds to a checkpoint: its subject in UTF-8 (at most 3 bytes a character), sequence and hash. */
  static long bytesOf(String subjectId) {
    return 3L * subjectId.length() + 80;
  }

  /** The changed heads in subject order, forgotten as they are returned. */
  List<CheckpointHead> drain();

  /** The last checkpoint's sequence and hash, or null before the first. */
  AuditChainHead last();

  void last(AuditChainHead checkpoint);

  /** A ledger in memory: for a writer that rebuilds it on its own, and for tests. */
  static CheckpointLedger inMemory() {
    return new CheckpointLedger() {
      private final Map<String, AuditChainHead> changed = new TreeMap<>();
      private AuditChainHead last;
      private long bytes;

      @Override
      public void changed(String subjectId, AuditChainHead head) {
        if (changed.put(subjectId, head) == null) {
          bytes += CheckpointLedger.bytesOf(subjectId);
        }
      }

      @Override
      public int pending() {
        return changed.size();
      }

      @Override
      public long pendingBytes() {
        return bytes;
      }

      @Override
      public List<CheckpointHead> drain() {
        List<CheckpointHead> heads = new ArrayList<>();
        changed.forEach((s, h) -> heads.add(new CheckpointHead(s, h.getSequence(), h.getHash())));
        changed.clear();
        bytes = 0;
        return heads;
      }

      @Override
      public AuditChainHead last() {
        return last;
      }

      @Override
      public void last(AuditChainHead checkpoint) {
        last = checkpoint;
      }
    };
  }

  /**
   * A ledger in a worker's key-value store: changed heads under their subject id, the last
   * checkpoint under the empty key (no subject id is blank). The store holds at most one
   * checkpoint's worth of entries, so reading it whole is cheap.
   */
  static CheckpointLedger inStore(KeyValueStore<String, AuditChainHead> store) {
    return new CheckpointLedger() {
      private static final String LAST = "";
      private final Set<String> changed = new HashSet<>();
      private long bytes;

      {
        try (KeyValueIterator<String, AuditChainHead> it = store.all()) {
          it.forEachRemaining(kv -> {
            if (!LAST.equals(kv.key) && changed.add(kv.key)) {
              bytes += CheckpointLedger.bytesOf(kv.key);
            }
          });
        }
      }

      @Override
      public void changed(String subjectId, AuditChainHead head) {
        store.put(subjectId, head);
        if (changed.add(subjectId)) {
          bytes += CheckpointLedger.bytesOf(subjectId);
        }
      }

      @Override
      public int pending() {
        return changed.size();
      }

      @Override
      public long pendingBytes() {
        return bytes;
      }

      @Override
      public List<CheckpointHead> drain() {
        List<CheckpointHead> heads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, AuditChainHead> it = store.all()) {
          while (it.hasNext()) {
            KeyValue<String, AuditChainHead> kv = it.next();
            if (!LAST.equals(kv.key)) {
              heads.add(new CheckpointHead(kv.key, kv.value.getSequence(), kv.value.getHash()));
              keys.add(kv.key);
            }
          }
        }
        keys.forEach(store::delete);
        changed.clear();
        bytes = 0;
        return heads;
      }

      @Override
      public AuditChainHead last() {
        return store.get(LAST);
      }

      @Override
      public void last(AuditChainHead checkpoint) {
        store.put(LAST, checkpoint);
      }
    };
  }
}
