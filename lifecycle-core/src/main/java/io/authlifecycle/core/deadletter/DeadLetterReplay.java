package io.authlifecycle.core.deadletter;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.audit.AuditHasher;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.RegistryUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lists dead letters with their reasons, and replays chosen ones to their source topic after a
 * fix: the original key and value bytes go back in one transaction with an audit record per
 * replayed letter, chained under the operator tool's name.
 */
public final class DeadLetterReplay {

  public static final String WORKER = "lifecyclectl";

  /** A dead letter and where it sits. */
  public record Positioned(int partition, long offset, DeadLetter letter) {}

  private final Map<String, Object> clientProps;

  public DeadLetterReplay(Map<String, Object> clientProps) {
    this.clientProps = clientProps;
  }

  /** Every dead letter on the topic that passes the filter, in partition/offset order. */
  public List<Positioned> list(TopicSpec<DeadLetter> dlq, Predicate<Positioned> filter) {
    List<Positioned> out = new ArrayList<>();
    AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
    for (ConsumerRecord<String, byte[]> r : readToEnd(dlq.name())) {
      Positioned p = new Positioned(r.partition(), r.offset(), serde.decode(r.value()));
      if (filter.test(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Letters written at or after the given time. */
  public static Predicate<Positioned> since(Instant since) {
    return p -> !p.letter().getEventTime().isBefore(since);
  }

  /**
   * Replays the letters to their source topics with their original bytes and audits each as
   * {@code dlq.replayed}. Returns the audit records written. A letter holding only a truncated copy
   * of an oversized record is refused, with nothing sent.
   */
  public List<AuditEvent> replay(List<Positioned> letters, String operator, String reason) {
    for (Positioned p : letters) {
      if (p.letter().getTruncated()) {
        throw new IllegalArgumentException("dead letter " + p.partition() + ":" + p.offset() + " holds only the first bytes of a "
            + p.letter().getValueSize() + "-byte record (sha256 " + p.letter().getValueSha256() + "): it cannot be replayed");
      }
    }
    Map<String, AuditEvent> heads = chainHeads();
    List<AuditEvent> audits = new ArrayList<>();
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lifecyclectl-dlq-replay");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      try {
        for (Positioned p : letters) {
          DeadLetter letter = p.letter();
          byte[] key = bytes(letter.getKey());
          producer.send(new ProducerRecord<>(letter.getSourceTopic(), key, bytes(letter.getValue())));
          String subject = key == null ? "(no key)" : new String(key, StandardCharsets.UTF_8);
          AuditEvent audit = chain(heads, subject, letter, p, operator, reason);
          producer.send(new ProducerRecord<>(Topics.AUDIT.name(), subject.getBytes(StandardCharsets.UTF_8),
              Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), audit)));
          audits.add(audit);
        }
        producer.commitTransaction();
      } catch (RuntimeException e) {
        producer.abortTransaction();
        throw e;
      }
    }
    return audits;
  }

  private AuditEvent chain(Map<String, AuditEvent> heads, String subject, DeadLetter letter, Positioned p,
      String operator, String reason) {
    AuditEvent head = heads.get(subject);
    long sequence = head == null ? 1 : head.getSequence() + 1;
    AuditEvent audit = AuditEvent.newBuilder()
        .setEventId(WORKER + ":" + subject + ":" + sequence)
        .setEventTime(Instant.now())
        .setWorker(WORKER)
        .setSubjectId(subject)
        .setAction("dlq.replayed")
        .setOutcome(AuditOutcome.REQUESTED)
        .setSeverity(Severity.MEDIUM)
        .setReason(reason)
        .setPolicyRef(PolicyRefs.INVALIDATION)
        .setControlRefs(List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setCausationId(letter.getEventId())
        .setDetails(new TreeMap<>(Map.of("operator", operator, "sourceTopic", letter.getSourceTopic(),
            "deadLetterPartition", String.valueOf(p.partition()), "deadLetterOffset", String.valueOf(p.offset()),
            "originalError", letter.getError())))
        .setSequence(sequence)
        .setPrevHash(head == null ? AuditHasher.GENESIS : head.getHash())
        .setHash("")
        .build();
    audit.setHash(AuditHasher.hash(audit));
    heads.put(subject, audit);
    return audit;
  }

  /** The last record of each of this tool's chains, read from the audit topic. */
  private Map<String, AuditEvent> chainHeads() {
    Map<String, AuditEvent> heads = new LinkedHashMap<>();
    AvroSerde<AuditEvent> serde = AvroSerde.of(AuditEvent.class);
    for (ConsumerRecord<String, byte[]> r : readToEnd(Topics.AUDIT.name())) {
      try {
        AuditEvent event = serde.decode(r.value());
        if (WORKER.equals(event.getWorker())) {
          heads.put(event.getSubjectId(), event);
        }
      } catch (RegistryUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // An unreadable audit record is the verifier's to report; it cannot be a head of ours.
      }
    }
    return heads;
  }

  private List<ConsumerRecord<String, byte[]>> readToEnd(String topic) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    TopicScan.readToEnd(clientProps, topic, out::add);
    return out;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
