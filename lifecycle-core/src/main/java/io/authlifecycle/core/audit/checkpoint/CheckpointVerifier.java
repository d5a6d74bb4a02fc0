package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.core.audit.AuditChainVerifier.Break;
import io.authlifecycle.core.audit.AuditChainVerifier.Kind;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * Checks the checkpoints read from their topic, in partition order: each must be signed by a key
 * that may speak for its writer and link to the previous checkpoint of its scope. The heads of
 * every checkpoint whose signature verifies become {@link Attestations}; a broken link between two
 * genuine checkpoints is reported but does not void either.
 */
public final class CheckpointVerifier {

  private record Last(long sequence, String hash, Instant createdAt, long intervalMillis, String position) {}

  private final WriterKeys keys;
  private final Attestations attestations;
  private final Map<String, Last> streams = new LinkedHashMap<>();
  private final List<Break> breaks = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final boolean fromStart;
  private int read;
  private int valid;

  /** @param fromStart whether reading began at the topic's start (else a scope may begin mid-way) */
  public CheckpointVerifier(WriterKeys keys, boolean fromStart) {
    this.keys = keys;
    this.attestations = new Attestations(keys);
    this.fromStart = fromStart;
  }

  public void accept(GenericRecord checkpoint, String position) {
    read++;
    String writer = String.valueOf(checkpoint.get("writer"));
    String signer = String.valueOf(checkpoint.get("signer"));
    String scope = String.valueOf(checkpoint.get("scope"));
    String name = writer + "/" + scope + " checkpoint " + checkpoint.get("sequence");
    Optional<PublicKey> key = keys.key(signer);
    if (!WriterKeys.vouchesFor(signer, writer)) {
      breaks.add(new Break(Kind.CHECKPOINT_FORGED, name, position, "claims signer " + signer + ", who cannot sign for " + writer));
      return;
    }
    if (key.isEmpty()) {
      if (keys.signerOf(writer).isPresent()) {
        breaks.add(new Break(Kind.CHECKPOINT_FORGED, name, position, "signed by " + signer + ", whose key is not trusted for "
            + writer + " (trusted: " + keys.signerOf(writer).get() + ")"));
      } else if (notes.stream().noneMatch(n -> n.startsWith(signer + ":"))) {
        notes.add(signer + ": no public key given; its checkpoints are not checked");
      }
      return;
    }
    if (!AuditCheckpoints.verifies(checkpoint, key.get())) {
      breaks.add(new Break(Kind.CHECKPOINT_FORGED, name, position,
          "hash or signature does not verify with " + signer + "'s key (forged or altered)"));
      return;
    }
    valid++;
    long sequence = (Long) checkpoint.get("sequence");
    String hash = String.valueOf(checkpoint.get("hash"));
    Instant createdAt = Instant.ofEpochMilli((Long) checkpoint.get("createdAt"));
    long interval = (Long) checkpoint.get("intervalMillis");
    link(writer + "/" + scope, name, position, sequence, String.valueOf(checkpoint.get("prevHash")));
    streams.put(writer + "/" + scope, new Last(sequence, hash, createdAt, interval, position));
    attestations.signed(writer, scope, createdAt);
    for (Object h : (List<?>) checkpoint.get("heads")) {
      GenericRecord head = (GenericRecord) h;
      attestations.attest(writer, scope, String.valueOf(head.get("subjectId")), new Attestations.Attestation(
          (Long) head.get("sequence"), String.valueOf(head.get("hash")), name + " at " + position, createdAt, interval));
    }
  }

  private void link(String stream, String name, String position, long sequence, String prevHash) {
    Last last = streams.get(stream);
    if (last == null) {
      if ((sequence != 1 || !AuditCheckpoints.GENESIS.equals(prevHash)) && fromStart) {
        notes.add(stream + ": checkpoints start at " + sequence + " (earlier ones expired, or were removed)");
      }
    } else if (sequence <= last.sequence()) {
      breaks.add(new Break(Kind.CHECKPOINT_BROKEN, name, position, "a second checkpoint " + sequence + " (the scope was at "
          + last.sequence() + ", " + last.position() + ")"));
    } else if (sequence != last.sequence() + 1) {
      breaks.add(new Break(Kind.CHECKPOINT_GAP, name, position, "checkpoints " + (last.sequence() + 1) + ".."
          + (sequence - 1) + " are missing (after " + last.position() + ")"));
    } else if (!prevHash.equals(last.hash())) {
      breaks.add(new Break(Kind.CHECKPOINT_BROKEN, name, position, "does not link to checkpoint " + last.sequence()
          + " at " + last.position()));
    }
  }

  public Attestations attestations() {
    return attestations;
  }

  public List<Break> breaks() {
    return breaks;
  }

  /**
   * Warnings that fail nothing: writers without a key, scopes that start mid-way, and scopes silent
   * for more than three of their intervals before {@code now} (the writer stopped or moved the task,
   * or its latest checkpoints were removed: their records after the last one cannot be anchored).
   */
  public List<String> notes(Instant now) {
    List<String> all = new ArrayList<>(notes);
    streams.forEach((stream, last) -> {
      if (last.createdAt().plus(Duration.ofMillis(3 * last.intervalMillis())).isBefore(now)) {
        all.add(stream + ": last checkpoint " + last.sequence() + " at " + last.createdAt() + ", promised every "
            + Duration.ofMillis(last.intervalMillis()) + ": the writer stopped, or its latest checkpoints were removed");
      }
    });
    return all;
  }

  public int read() {
    return read;
  }

  public int valid() {
    return valid;
  }
}
