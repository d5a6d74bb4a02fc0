package io.authlifecycle.core.audit;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpointWriter;
import java.time.Instant;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Appends to a worker's audit chains: fills worker, sequence, prevHash, hash and a deterministic
 * event id, and moves the chain head in the state store in the same transaction as the output.
 * With a checkpoint writer, every new head is also noted for the writer's next signed checkpoint.
 */
public final class AuditWriter {

  private final String worker;
  private final KeyValueStore<String, AuditChainHead> heads;
  private final UnaryOperator<AuditEvent> fit;
  private final AuditCheckpointWriter checkpoints;

  public AuditWriter(String worker, KeyValueStore<String, AuditChainHead> heads) {
    this(worker, heads, UnaryOperator.identity(), null);
  }

  /**
   * @param fit cuts a record down to what its readers accept (before it is hashed)
   * @param checkpoints the writer of this scope's checkpoints, or null for none
   */
  public AuditWriter(String worker, KeyValueStore<String, AuditChainHead> heads, UnaryOperator<AuditEvent> fit,
      AuditCheckpointWriter checkpoints) {
    this.worker = worker;
    this.heads = heads;
    this.fit = fit;
    this.checkpoints = checkpoints;
  }

  /** Completes and chains a draft. The draft must set subjectId, action, outcome and severity. */
  public AuditEvent append(AuditEvent.Builder draft, long nowMillis) {
    // Sorted details make the record's bytes, and so its hash, independent of the map the caller used.
    draft.setDetails(draft.hasDetails() ? new TreeMap<>(draft.getDetails()) : new TreeMap<>());
    if (!draft.hasEventTime()) {
      draft.setEventTime(Instant.ofEpochMilli(nowMillis));
    }
    AuditEvent event = fit.apply(link(draft, draft.getSubjectId()).build());
    // A subject id cut down to fit names another chain: link the record into that one.
    String subjectId = event.getSubjectId();
    if (!subjectId.equals(draft.getSubjectId())) {
      event = link(AuditEvent.newBuilder(event), subjectId).build();
    }
    event.setHash(AuditHasher.hash(event));
    AuditChainHead head = new AuditChainHead(event.getSequence(), event.getHash());
    heads.put(subjectId, head);
    if (checkpoints != null) {
      checkpoints.changed(subjectId, head);
    }
    return event;
  }

  private AuditEvent.Builder link(AuditEvent.Builder draft, String subjectId) {
    AuditChainHead head = heads.get(subjectId);
    long sequence = head == null ? 1 : head.getSequence() + 1;
    return draft.setWorker(worker)
        .setEventId(worker + ":" + subjectId + ":" + sequence)
        .setSequence(sequence)
        .setPrevHash(head == null ? AuditHasher.GENESIS : head.getHash())
        .setHash("");
  }
}
