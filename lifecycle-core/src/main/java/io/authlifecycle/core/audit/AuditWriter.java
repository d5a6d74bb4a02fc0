package io.authlifecycle.core.audit;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.state.AuditChainHead;
import java.time.Instant;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Appends to a worker's audit chains: fills worker, sequence, prevHash, hash and a deterministic
 * event id, and moves the chain head in the state store in the same transaction as the output.
 */
public final class AuditWriter {

  private final String worker;
  private final KeyValueStore<String, AuditChainHead> heads;

  public AuditWriter(String worker, KeyValueStore<String, AuditChainHead> heads) {
    this.worker = worker;
    this.heads = heads;
  }

  /** Completes and chains a draft. The draft must set subjectId, action, outcome and severity. */
  public AuditEvent append(AuditEvent.Builder draft, long nowMillis) {
    String subjectId = draft.getSubjectId();
    AuditChainHead head = heads.get(subjectId);
    long sequence = head == null ? 1 : head.getSequence() + 1;
    String prevHash = head == null ? AuditHasher.GENESIS : head.getHash();
    draft.setWorker(worker)
        .setEventId(worker + ":" + subjectId + ":" + sequence)
        .setSequence(sequence)
        .setPrevHash(prevHash)
        .setHash("");
    // Sorted details make the record's bytes, and so its hash, independent of the map the caller used.
    draft.setDetails(draft.hasDetails() ? new TreeMap<>(draft.getDetails()) : new TreeMap<>());
    if (!draft.hasEventTime()) {
      draft.setEventTime(Instant.ofEpochMilli(nowMillis));
    }
    AuditEvent event = draft.build();
    event.setHash(AuditHasher.hash(event));
    heads.put(subjectId, new AuditChainHead(sequence, event.getHash()));
    return event;
  }
}
