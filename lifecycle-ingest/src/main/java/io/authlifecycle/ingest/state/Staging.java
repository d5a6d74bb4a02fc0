package io.authlifecycle.ingest.state;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.audit.AuditHasher;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one request will write, gathered before anything is sent: events, audit records and state
 * records, all committed in one transaction. The in-memory state moves only after the commit.
 */
public final class Staging {

  private final String worker;
  private final IngestState state;
  private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
  private final List<StateRecord> updates = new ArrayList<>();
  private final Map<String, AuditChainHead> heads = new HashMap<>();

  Staging(String worker, IngestState state) {
    this.worker = worker;
    this.state = state;
  }

  /** A record for a registry topic, encoded with the topic's serde (which checks it against its schema). */
  public <V> void publish(TopicSpec<V> topic, String key, V value) {
    records.add(new ProducerRecord<>(topic.name(), bytes(key), topic.valueSerde().serializer().serialize(topic.name(), value)));
  }

  /** A state record: written to the state topic, applied in memory once committed. */
  public void remember(StateRecord record) {
    records.add(new ProducerRecord<>(Topics.INGEST_STATE.name(), bytes(record.key()),
        bytes(StateCodec.encode(record))));
    updates.add(record);
  }

  /**
   * Completes and chains an audit draft exactly as the core {@code AuditWriter} does (worker,
   * sequence, prevHash, hash, event id {@code worker:subject:sequence}); the chain head is state.
   */
  public AuditEvent audit(AuditEvent.Builder draft, Instant now) {
    String subject = draft.getSubjectId();
    AuditChainHead head = heads.containsKey(subject) ? heads.get(subject) : state.head(subject).orElse(null);
    long sequence = head == null ? 1 : head.getSequence() + 1;
    draft.setWorker(worker)
        .setEventId(worker + ":" + subject + ":" + sequence)
        .setSequence(sequence)
        .setPrevHash(head == null ? AuditHasher.GENESIS : head.getHash())
        .setHash("");
    if (!draft.hasEventTime()) {
      draft.setEventTime(now);
    }
    draft.setDetails(draft.hasDetails() ? new TreeMap<>(draft.getDetails()) : new TreeMap<>());
    AuditEvent event = draft.build();
    event.setHash(AuditHasher.hash(event));
    AuditChainHead next = new AuditChainHead(sequence, event.getHash());
    heads.put(subject, next);
    publish(Topics.AUDIT, subject, event);
    remember(new StateRecord.Chain(subject, next));
    return event;
  }

  public boolean isEmpty() {
    return records.isEmpty();
  }

  List<ProducerRecord<byte[], byte[]>> records() {
    return records;
  }

  List<StateRecord> updates() {
    return updates;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
