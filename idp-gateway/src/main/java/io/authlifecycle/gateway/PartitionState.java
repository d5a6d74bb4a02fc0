package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.audit.AuditHasher;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the gateway remembers for one command partition it owns: the commands already applied
 * there and the heads of its audit chains. Both are rebuilt from the gateway's own committed
 * output when the partition is assigned, so they survive restarts and move with the partition.
 */
final class PartitionState {

  private final Set<String> applied = new HashSet<>();
  private final Map<String, AuditChainHead> heads = new HashMap<>();

  boolean applied(String commandId) {
    return applied.contains(commandId);
  }

  void markApplied(String commandId) {
    applied.add(commandId);
  }

  int appliedCount() {
    return applied.size();
  }

  /** Rebuild: a record of the gateway's own audit chain, read in partition order. */
  void observeAudit(AuditEvent event) {
    heads.put(event.getSubjectId(), new AuditChainHead(event.getSequence(), event.getHash()));
  }

  /**
   * Completes and chains an audit draft exactly as the core {@code AuditWriter} does (worker,
   * sequence, prevHash, hash, event id {@code worker:subject:sequence}), so the verifier accepts it.
   */
  AuditEvent chain(AuditEvent.Builder draft, Instant now) {
    String subject = draft.getSubjectId();
    AuditChainHead head = heads.get(subject);
    long sequence = head == null ? 1 : head.getSequence() + 1;
    draft.setWorker(IdpGateway.NAME)
        .setEventId(IdpGateway.NAME + ":" + subject + ":" + sequence)
        .setSequence(sequence)
        .setPrevHash(head == null ? AuditHasher.GENESIS : head.getHash())
        .setHash("");
    if (!draft.hasEventTime()) {
      draft.setEventTime(now);
    }
    // As AuditWriter: sorted details make the record's bytes independent of the caller's map.
    draft.setDetails(draft.hasDetails() ? new TreeMap<>(draft.getDetails()) : new TreeMap<>());
    AuditEvent event = draft.build();
    event.setHash(AuditHasher.hash(event));
    heads.put(subject, new AuditChainHead(sequence, event.getHash()));
    return event;
  }
}
