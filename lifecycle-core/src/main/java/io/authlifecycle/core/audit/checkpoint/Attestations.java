package io.authlifecycle.core.audit.checkpoint;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the valid checkpoints read say: for each chain, the heads its writer signed (sequence →
 * hash), and when each writer and scope last signed, which tells a record written before that
 * moment (and so covered, if the writer wrote it) from one too recent to be covered yet.
 */
public final class Attestations {

  /** One signed head: the hash the writer holds for the sequence, and the checkpoint that says so. */
  public record Attestation(long sequence, String hash, String checkpoint, Instant createdAt, long intervalMillis) {}

  private final Map<String, NavigableMap<Long, Attestation>> byChain = new HashMap<>();
  private final Map<String, String> scopeOfChain = new HashMap<>();
  private final Map<String, Instant> latestByScope = new HashMap<>();
  private final Map<String, Instant> latestByWriter = new HashMap<>();
  private final WriterKeys keys;

  public Attestations(WriterKeys keys) {
    this.keys = keys;
  }

  /** The chain name the verifier reports: {@code worker / subject}. */
  public static String chain(String worker, String subjectId) {
    return worker + " / " + subjectId;
  }

  void signed(String writer, String scope, Instant createdAt) {
    latestByScope.merge(writer + "/" + scope, createdAt, (a, b) -> a.isAfter(b) ? a : b);
    latestByWriter.merge(writer, createdAt, (a, b) -> a.isAfter(b) ? a : b);
  }

  void attest(String writer, String scope, String subjectId, Attestation attestation) {
    String chain = chain(writer, subjectId);
    byChain.computeIfAbsent(chain, c -> new TreeMap<>()).put(attestation.sequence(), attestation);
    scopeOfChain.put(chain, writer + "/" + scope);
  }

  /** Whether some trusted key signs for this writer, so its records must be anchored by its checkpoints. */
  public boolean expected(String writer) {
    return keys.signerOf(writer).isPresent();
  }

  /** The heads signed for a chain, by sequence; empty when none. */
  public NavigableMap<Long, Attestation> of(String chain) {
    return byChain.getOrDefault(chain, Collections.emptyNavigableMap());
  }

  public Map<String, NavigableMap<Long, Attestation>> all() {
    return Collections.unmodifiableMap(byChain);
  }

  /**
   * The last moment the writer is known to have checkpointed the chain's scope (its writer's latest
   * checkpoint for a chain never attested): a record of the chain written before it is covered if genuine.
   */
  public Optional<Instant> lastCheckpoint(String writer, String chain) {
    String scope = scopeOfChain.get(chain);
    return Optional.ofNullable(scope != null ? latestByScope.get(scope) : latestByWriter.get(writer));
  }

  public Optional<Instant> lastCheckpoint(String writer) {
    return Optional.ofNullable(latestByWriter.get(writer));
  }
}
