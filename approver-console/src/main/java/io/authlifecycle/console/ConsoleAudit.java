package io.authlifecycle.console;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.audit.AuditHasher;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The console's audit: every sign-in, view of a subject, enrollment and decision (sent or refused),
 * chained per subject under worker {@code approver-console} exactly as the core AuditWriter chains,
 * from heads kept in the console's own store; sent before the caller answers the browser.
 */
final class ConsoleAudit {

  static final String WORKER = "approver-console";

  private final ConsoleStore store;
  private final Producer<String, byte[]> producer;

  ConsoleAudit(ConsoleStore store, Producer<String, byte[]> producer) {
    this.store = store;
    this.producer = producer;
  }

  /** Chains and sends one record about {@code subjectId}; details name who and what. */
  AuditEvent record(String subjectId, String action, AuditOutcome outcome, Severity severity, String reason,
      Map<String, String> details, Instant now) {
    AuditEvent event = store.update(data -> {
      long sequence = data.auditSequence.getOrDefault(subjectId, 0L) + 1;
      String prev = data.auditHash.getOrDefault(subjectId, AuditHasher.GENESIS);
      AuditEvent.Builder draft = Decisions.audit(subjectId, action, outcome, severity, PolicyRefs.ACCOUNT_RECOVERY,
          List.of(PolicyRefs.CSF_LEAST_PRIVILEGE)).setReason(reason).setDetails(new TreeMap<>(details))
          .setWorker(WORKER).setEventId(WORKER + ":" + subjectId + ":" + sequence).setSequence(sequence)
          .setPrevHash(prev).setHash("").setEventTime(now);
      AuditEvent built = draft.build();
      built.setHash(AuditHasher.hash(built));
      data.auditSequence.put(subjectId, sequence);
      data.auditHash.put(subjectId, built.getHash());
      return built;
    });
    try {
      producer.send(new ProducerRecord<>(Topics.AUDIT.name(), subjectId,
          Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), event))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending an audit record", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the audit record " + event.getEventId() + " was not written", e.getCause());
    }
    return event;
  }
}
