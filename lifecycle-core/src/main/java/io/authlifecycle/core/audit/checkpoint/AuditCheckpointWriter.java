package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.CheckpointHead;
import io.authlifecycle.avro.state.AuditChainHead;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Signs the checkpoints of one writer's scope (a Streams task, a gateway partition): each lists
 * the chain heads changed since the previous one and links to it by hash, so a scope's checkpoints
 * form a chain of their own and each stays small however many chains the scope holds. The caller
 * tells it every chain append and sends each checkpoint it returns in the same transaction as the
 * audit records it covers: at least every {@code interval} (an empty one too, so silence shows) and
 * whenever {@code maxHeads} chains (or 256 KiB of heads) have changed. Plain Java, so any writer can use it:
 *
 * <pre>{@code
 * AuditCheckpointWriter checkpoints = new AuditCheckpointWriter(key, "idp-gateway", "p2", ledger, interval, 1000);
 * AuditEvent event = ...chain it...;  checkpoints.changed(event.getSubjectId(), new AuditChainHead(seq, hash));
 * if (checkpoints.full() || intervalElapsed) send(AuditCheckpoints.kafkaKey(...), checkpoints.checkpoint(now));
 * }</pre>
 */
public final class AuditCheckpointWriter {

  /** A checkpoint's heads stay below this, far under any producer's limit, however long the subject ids. */
  static final long MAX_BYTES = 256 * 1024;

  private final WriterKeyFile key;
  private final String writer;
  private final String scope;
  private final CheckpointLedger ledger;
  private final Duration interval;
  private final int maxHeads;
  private final String keyId;

  /**
   * @param key the signing key of the component; {@code writer} must be the component or named after it
   * @param writer the audit records' {@code worker} field this checkpoint covers
   * @param scope the part of the writer that owns these chains (a task id, a partition); stable across restarts
   */
  public AuditCheckpointWriter(WriterKeyFile key, String writer, String scope, CheckpointLedger ledger,
      Duration interval, int maxHeads) {
    if (!WriterKeys.vouchesFor(key.writer(), writer)) {
      throw new IllegalArgumentException("the key of " + key.writer() + " cannot sign checkpoints of " + writer);
    }
    this.key = key;
    this.writer = writer;
    this.scope = scope;
    this.ledger = ledger;
    this.interval = interval;
    this.maxHeads = maxHeads;
    this.keyId = AuditCheckpoints.keyId(key.publicKey());
  }

  /** After every append to one of the scope's chains. */
  public void changed(String subjectId, AuditChainHead head) {
    ledger.changed(subjectId, head);
  }

  /** Whether enough chains changed that a checkpoint is due now, whatever the clock says. */
  public boolean full() {
    return ledger.pending() >= maxHeads || ledger.pendingBytes() >= MAX_BYTES;
  }

  public String kafkaKey() {
    return AuditCheckpoints.kafkaKey(writer, scope);
  }

  /** The next checkpoint, signed: the changed heads (possibly none), linked to the previous checkpoint. */
  public AuditCheckpoint checkpoint(Instant now) {
    AuditChainHead previous = ledger.last();
    long sequence = previous == null ? 1 : previous.getSequence() + 1;
    List<CheckpointHead> heads = ledger.drain();
    AuditCheckpoint checkpoint = AuditCheckpoints.seal(AuditCheckpoint.newBuilder()
        .setEventId(kafkaKey() + "/" + sequence)
        .setCreatedAt(now)
        .setWriter(writer)
        .setSigner(key.writer())
        .setKeyId(keyId)
        .setScope(scope)
        .setSequence(sequence)
        .setPrevHash(previous == null ? AuditCheckpoints.GENESIS : previous.getHash())
        .setIntervalMillis(interval.toMillis())
        .setHeads(heads), key.privateKey());
    ledger.last(new AuditChainHead(sequence, checkpoint.getHash()));
    return checkpoint;
  }
}
