package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.audit.AuditWriter;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.MultiRecordSerde;
import io.authlifecycle.schemas.SchemaCatalog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every worker's decision processor. It reads raw bytes from the worker's input
 * topics, decodes and validates them, dead-letters (and audits) what fails, and hands the rest
 * to {@link #decide}. Due timers from the worker's timer index go to {@link #onTimer}.
 */
public abstract class DecisionProcessor implements Processor<String, byte[], String, Outbound> {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionProcessor.class);

  protected final WorkerContext worker;
  private final Map<String, TopicSpec<?>> inputs = new LinkedHashMap<>();
  private final MultiRecordSerde decoder;
  private final InputValidator validator;
  private final boolean usesTimers;

  private ProcessorContext<String, Outbound> context;
  private Emitter emitter;
  private TimerIndex timers;

  /**
   * @param inputs the topics this processor reads; a topic's name may be mapped to another
   *     spec's contract (a repartition topic carrying the records of its source) via {@link #alias}
   * @param usesTimers whether the worker's timer index is connected and punctuated
   */
  protected DecisionProcessor(WorkerContext worker, List<TopicSpec<?>> inputs, boolean usesTimers) {
    this.worker = worker;
    List<Class<? extends SpecificRecord>> types = new ArrayList<>();
    for (TopicSpec<?> input : inputs) {
      this.inputs.put(input.name(), input);
      input.recordTypes().stream().filter(t -> !types.contains(t)).forEach(types::add);
    }
    this.decoder = new MultiRecordSerde(SchemaCatalog.get(), types);
    // Dead-letter counters exist at zero from the start, so alerts on their growth see a series.
    inputs.forEach(t -> worker.metrics().registerDeadLetters(t.name()));
    this.validator = new InputValidator(worker.get(CoreSettings.MAX_FUTURE_SKEW), worker.get(CoreSettings.MAX_EFFECTIVE_HORIZON));
    this.usesTimers = usesTimers;
  }

  /** Reads records from {@code topicName} (for example a repartition topic) under {@code contract}'s rules. */
  protected final void alias(String topicName, TopicSpec<?> contract) {
    inputs.put(topicName, contract);
  }

  @Override
  public final void init(ProcessorContext<String, Outbound> context) {
    this.context = context;
    KeyValueStore<String, AuditChainHead> heads = context.getStateStore(worker.auditStoreName());
    this.emitter = new Emitter(context, new AuditWriter(worker.worker(), heads), worker.metrics());
    if (usesTimers) {
      this.timers = TimerIndex.open(context, worker.worker());
      int batch = worker.get(CoreSettings.TIMER_BATCH);
      context.schedule(worker.get(CoreSettings.TIMER_TICK), PunctuationType.WALL_CLOCK_TIME,
          now -> timers.fireDue(now, batch, this::onTimer));
    }
    onInit(context);
  }

  @Override
  public final void process(Record<String, byte[]> record) {
    Optional<RecordMetadata> metadata = context.recordMetadata();
    String topicName = metadata.map(RecordMetadata::topic).orElse("unknown");
    TopicSpec<?> topic = inputs.get(topicName);
    if (topic == null) {
      throw new IllegalStateException(worker.worker() + " is not wired to read " + topicName);
    }
    SpecificRecord value;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("null value (tombstone) where a record was expected");
      }
      value = decoder.decode(record.value());
    } catch (RuntimeException e) {
      deadLetter(topic, record, metadata, DeadLetterKind.UNDECODABLE, describe(e));
      return;
    }
    List<String> problems = validator.problems(topic, record.key(), value, emitter.now());
    if (!problems.isEmpty()) {
      deadLetter(topic, record, metadata, DeadLetterKind.INVALID, String.join("; ", problems));
      return;
    }
    decide(topic, record.key(), value, record);
  }

  /** One decoded, valid input record. */
  protected abstract void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record);

  /** A timer from the index came due. Override if the worker schedules timers. */
  protected void onTimer(TimerEntry timer) {
    throw new IllegalStateException(worker.worker() + " scheduled a timer it does not handle: " + timer.getKind());
  }

  /** Opens the worker's own stores. */
  protected void onInit(ProcessorContext<String, Outbound> context) {}

  protected final Emitter emit() {
    return emitter;
  }

  protected final TimerIndex timers() {
    if (timers == null) {
      throw new IllegalStateException(worker.worker() + " was built without a timer index");
    }
    return timers;
  }

  protected final ProcessorContext<String, Outbound> context() {
    return context;
  }

  private void deadLetter(TopicSpec<?> topic, Record<String, byte[]> record, Optional<RecordMetadata> metadata,
      DeadLetterKind kind, String error) {
    int partition = metadata.map(RecordMetadata::partition).orElse(-1);
    long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
    String source = topic.name();
    Instant now = emitter.now();
    String key = record.key() == null ? "" : record.key();
    DeadLetter letter = DeadLetter.newBuilder()
        .setEventId(source + ":" + partition + ":" + offset)
        .setEventTime(now)
        .setSourceTopic(source)
        .setPartition(partition)
        .setOffset(offset)
        .setRecordTimestamp(Instant.ofEpochMilli(Math.max(0, record.timestamp())))
        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setErrorKind(kind)
        .setError(error)
        .setWorker(worker.worker())
        .build();
    emitter.send(topic.deadLetterTopic(), key, letter);
    worker.metrics().deadLetter(source, kind.name());
    // A dropped HR or MDM record is a security signal: audited, high severity for lifecycle inputs.
    boolean lifecycleInput = topic == Topics.HR_WORKER_EVENTS || topic == Topics.MDM_DEVICE_EVENTS;
    emitter.audit(AuditEvent.newBuilder()
        .setSubjectId(auditSubject(topic, key))
        .setAction("input.dead-lettered")
        .setOutcome(AuditOutcome.DEAD_LETTERED)
        .setSeverity(lifecycleInput ? Severity.HIGH : Severity.MEDIUM)
        .setReason(kind + ": " + error)
        .setPolicyRef(PolicyRefs.INVALIDATION)
        .setControlRefs(List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setCausationId(letter.getEventId())
        .setDetails(Map.of("sourceTopic", source, "partition", String.valueOf(partition),
            "offset", String.valueOf(offset), "deadLetterTopic", topic.deadLetterTopic().name())));
    LOG.warn("{} dead-lettered {}-{}@{}: {} {}", worker.worker(), source, partition, offset, kind, error);
  }

  /** Device-keyed topics chain their dead-letter audits under the device, so chains never cross tasks. */
  private static String auditSubject(TopicSpec<?> topic, String key) {
    String id = key.isBlank() ? "(no key)" : key;
    return topic.keyKind() == TopicSpec.KeyKind.DEVICE_ID ? "device:" + id : id;
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
