package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.audit.AuditCatalog;
import io.authlifecycle.core.audit.AuditWriter;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpointWriter;
import io.authlifecycle.core.audit.checkpoint.CheckpointLedger;
import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.deadletter.DeadLetters;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.core.timers.TimerTicks;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.MultiRecordSerde;
import io.authlifecycle.schemas.RegistryUnavailableException;
import io.authlifecycle.schemas.SchemaCatalog;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The base of every worker's decision processor: load, decide, store. It decodes and validates
 * what the worker reads (dead-lettering and auditing what fails), loads the subject's state, asks
 * the worker's pure decisions for a {@link Decision}, and applies it in the same transaction:
 * timers moved, state stored, and every output forwarded to the named, typed sink of its topic.
 * Due timers from the worker's timer index go through the same load, decide, store. Inputs over
 * the size limits are dead-lettered before they are decoded, outputs are cut down to them, and with
 * a signing key each task signs a checkpoint of its audit chain heads in the same transactions.
 *
 * @param <S> the worker's stored state ({@code Void} for a worker that keeps none)
 */
public abstract class DecisionProcessor<S> implements Processor<String, Object, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionProcessor.class);

  protected final WorkerContext worker;
  private final Map<String, TopicSpec<?>> inputs = new LinkedHashMap<>();
  private final MultiRecordSerde decoder;
  private final InputValidator validator;
  private final InputLimits limits;
  private final OutputLimits outputLimits;
  private final DeadLetters deadLetters;
  private final String stateStore;
  private final boolean usesTimers;
  private final Map<String, Optional<Counter>> moved = new HashMap<>();
  private final Optional<WriterKeyFile> signingKey;

  private ProcessorContext<String, Object> context;
  private AuditWriter auditWriter;
  private AuditCheckpointWriter checkpoints;
  private TimerIndex timers;
  private TimerTicks ticks;
  private KeyValueStore<String, S> states;
  private TopicSpec<?> source;

  /**
   * @param inputs the registry topics this processor reads as bytes; records that arrive already
   *     decoded (from a repartition the worker's own intake validated) skip decoding and validation
   * @param stateStore the store of the worker's per-subject state, or null for a worker that keeps none
   * @param usesTimers whether the worker's timer index is connected and punctuated
   */
  protected DecisionProcessor(WorkerContext worker, List<TopicSpec<?>> inputs, String stateStore, boolean usesTimers) {
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
    this.limits = InputLimits.of(worker);
    this.outputLimits = OutputLimits.of(limits);
    this.deadLetters = new DeadLetters(limits.maxRecordBytes(), limits.maxFieldLength());
    this.stateStore = stateStore;
    this.usesTimers = usesTimers;
    this.signingKey = CheckpointSettings.signingKey(worker.settings(), worker.name());
  }

  /** The name of the sink that writes {@code topic} for the worker named {@code worker}. */
  public static String sinkName(String worker, TopicSpec<?> topic) {
    return worker + "-to-" + topic.name();
  }

  @Override
  public final void init(ProcessorContext<String, Object> context) {
    this.context = context;
    KeyValueStore<String, AuditChainHead> heads = context.getStateStore(worker.auditStoreName());
    if (signingKey.isPresent()) {
      Duration interval = worker.get(CheckpointSettings.INTERVAL);
      checkpoints = new AuditCheckpointWriter(signingKey.get(), worker.name(), context.taskId().toString(),
          CheckpointLedger.inStore(context.getStateStore(worker.checkpointStoreName())), interval,
          worker.get(CheckpointSettings.MAX_HEADS));
      context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> checkpoint());
    }
    this.auditWriter = new AuditWriter(worker.name(), heads, outputLimits::fit, checkpoints);
    if (stateStore != null) {
      this.states = context.getStateStore(stateStore);
    }
    if (usesTimers) {
      this.timers = TimerIndex.open(context, worker.name());
      ticks = TimerTicks.start(context, timers, worker.get(CoreSettings.TIMER_TICK),
          worker.get(CoreSettings.TIMER_NEAR_TICK), worker.get(CoreSettings.TIMER_BATCH), this::fire);
    }
    onInit(context);
  }

  @Override
  public final void process(Record<String, Object> record) {
    handle(record);
    if (ticks != null) {
      ticks.watch(context.currentSystemTimeMs());
    }
    // After every input, dead-lettered ones too: a flood of bad keys must not outgrow one checkpoint.
    checkpointIfFull();
  }

  private void handle(Record<String, Object> record) {
    SpecificRecord value;
    if (record.value() instanceof SpecificRecord decoded) {
      value = decoded;
    } else {
      Optional<RecordMetadata> metadata = context.recordMetadata();
      String topicName = metadata.map(RecordMetadata::topic).orElse("unknown");
      TopicSpec<?> topic = inputs.get(topicName);
      if (topic == null) {
        throw new IllegalStateException(worker.name() + " is not wired to read " + topicName);
      }
      byte[] bytes = (byte[]) record.value();
      String tooLarge = limits.rawProblem(utf8(record.key()), bytes);
      if (tooLarge != null) {
        deadLetter(topic, record.key(), bytes, record.timestamp(), metadata, DeadLetterKind.TOO_LARGE, tooLarge);
        return;
      }
      Class<? extends SpecificRecord> type = bytes == null ? null : decoder.writerType(bytes).orElse(null);
      if (type != null && topic.carries(type)) {
        movedCounter(topic, type).ifPresent(Counter::increment);
        if (!concerns(type)) {
          // Skipped on the header alone: the body of a record this worker never decides on is not its to decode.
          return;
        }
      }
      try {
        if (bytes == null) {
          throw new IllegalArgumentException("null value (tombstone) where a record was expected");
        }
        value = decoder.decode(bytes);
      } catch (RegistryUnavailableException e) {
        // The record may be fine: fail the task (the transaction aborts, the record is read again), never dead-letter it.
        throw e;
      } catch (RuntimeException e) {
        deadLetter(topic, record.key(), bytes, record.timestamp(), metadata, DeadLetterKind.UNDECODABLE, describe(e));
        return;
      }
      List<String> tooLong = limits.fieldProblems(value);
      if (!tooLong.isEmpty()) {
        deadLetter(topic, record.key(), bytes, record.timestamp(), metadata, DeadLetterKind.TOO_LARGE, String.join("; ", tooLong));
        return;
      }
      List<String> problems = validator.problems(topic, record.key(), value, now());
      if (!problems.isEmpty()) {
        deadLetter(topic, record.key(), bytes, record.timestamp(), metadata, DeadLetterKind.INVALID, String.join("; ", problems));
        return;
      }
    }
    String key = record.key();
    if (!concerns(value) || decidesNothing(key, value)) {
      return;
    }
    S before = load(key);
    source = context.recordMetadata().map(m -> inputs.get(m.topic())).orElse(null);
    try {
      apply(key, before, decide(before, key, value, now()));
    } finally {
      source = null;
    }
  }

  /**
   * The registry topic the record being decided came from, for a worker whose decision depends on
   * who could write it (each recovery channel has a topic only its writer may write); empty for a
   * timer or a record forwarded by the worker's own intake.
   */
  protected final Optional<TopicSpec<?>> sourceTopic() {
    return Optional.ofNullable(source);
  }

  /**
   * Whether the worker decides on records of this type at all. A record whose single-object header
   * names a type the worker does not concern (factor use, for most workers) is skipped before its
   * body is decoded, validated or any state is read; so is a decoded one. The answer must depend on
   * the type alone.
   */
  protected boolean concerns(Class<? extends SpecificRecord> type) {
    return true;
  }

  /** Whether the worker decides on this record; by default, on its type ({@link #concerns(Class)}). */
  protected boolean concerns(SpecificRecord value) {
    return concerns(value.getClass());
  }

  /**
   * Whether this decoded, valid input is known to decide nothing without the subject's state being
   * read: a worker may answer from what it keeps in memory about the stored state (the mover: a factor
   * use within the use resolution). Then no state is loaded and nothing is decided or stored.
   */
  protected boolean decidesNothing(String key, SpecificRecord value) {
    return false;
  }

  /**
   * One decoded, valid input. {@code state} is the subject's stored state, null if none. Dispatch
   * on the record's class; the returned decision is applied as a whole.
   */
  protected abstract Decision<S> decide(S state, String key, SpecificRecord value, Instant now);

  /** A timer from the index came due. Override if the worker schedules timers. */
  protected Decision<S> onTimer(S state, TimerEntry timer, Instant now) {
    throw new IllegalStateException(worker.name() + " scheduled a timer it does not handle: " + timer.getKind());
  }

  /** Opens stores the worker keeps besides its state store. */
  protected void onInit(ProcessorContext<String, Object> context) {}

  /** After the decision's state was stored: for gauges kept from state transitions. */
  protected void onStored(String key, S before, S after) {}

  /** Forwards a record to a named child node (a repartition behind a validating intake). */
  protected final void forward(String child, String key, Object value) {
    context.forward(new Record<>(key, value, context.currentSystemTimeMs()), child);
  }

  /** Wall-clock now, as the Streams runtime (or a test driver) sees it. */
  protected final Instant now() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }

  private void fire(TimerEntry timer) {
    String owner = timer.getOwner();
    S before = load(owner);
    apply(owner, before, onTimer(before, timer, now()));
    checkpointIfFull();
  }

  /** Signs and sends this task's checkpoint: in the transaction of the audit records it covers. */
  private void checkpoint() {
    send(Topics.AUDIT_CHECKPOINTS, checkpoints.kafkaKey(), checkpoints.checkpoint(now()));
  }

  private void checkpointIfFull() {
    if (checkpoints != null && checkpoints.full()) {
      checkpoint();
    }
  }

  private S load(String key) {
    return states == null || key == null ? null : states.get(key);
  }

  private void apply(String key, S before, Decision<S> decision) {
    for (Decision.TimerChange change : decision.timers()) {
      if (change instanceof Decision.Schedule s) {
        timers().schedule(s.timer(), s.replacing());
      } else if (change instanceof Decision.Cancel c) {
        timers().cancel(c.owner(), c.kind(), c.due());
      }
    }
    Optional<S> after = decision.state();
    if (after.isPresent()) {
      if (states == null) {
        throw new IllegalStateException(worker.name() + " stored state but was built without a state store");
      }
      states.put(key, after.get());
      onStored(key, before, after.get());
    }
    for (Decision.Output output : decision.outputs()) {
      if (output instanceof Decision.Command c) {
        command(c.command());
      } else if (output instanceof Decision.Notice n) {
        send(Topics.NOTIFICATIONS, n.notification().getSubjectId(), n.notification());
      } else if (output instanceof Decision.Audit a) {
        audit(a.draft());
      } else if (output instanceof Decision.Send<?> s) {
        sendAny(s);
      }
    }
  }

  private <V> void sendAny(Decision.Send<V> send) {
    send(send.topic(), send.key(), send.value());
  }

  /** Forwards to the topic's sink; a record over the limits its readers apply is cut down to them first. */
  private <V> void send(TopicSpec<V> topic, String key, V value) {
    V fitted = value;
    if (value instanceof SpecificRecord record && !(value instanceof DeadLetter) && !(value instanceof AuditEvent)) {
      @SuppressWarnings("unchecked") // a copy of the same class
      V cut = (V) outputLimits.fit(record);
      if (cut != value) {
        worker.metrics().outputCut(topic.name());
        LOG.warn("{} cut down a {} for {} to the size limits its readers apply", worker.name(), record.getSchema().getName(), topic.name());
      }
      fitted = cut;
    }
    context.forward(new Record<>(key, fitted, context.currentSystemTimeMs()), sinkName(worker.name(), topic));
  }

  /** Sends a command and records the time from its causing event to now. */
  private void command(AuthenticatorCommand command) {
    send(worker.commandTopic(), command.getSubjectId(), command);
    String decision = command.getAction().name();
    worker.metrics().decision(decision);
    worker.metrics().latency(decision, Duration.between(command.getCausationTime(), now()));
  }

  /** Chains and sends an audit record. */
  private void audit(AuditEvent.Builder draft) {
    if (!AuditCatalog.isKnown(draft.getAction())) {
      worker.metrics().uncataloguedAudit(draft.getAction());
    }
    AuditEvent event = auditWriter.append(draft, context.currentSystemTimeMs());
    send(Topics.AUDIT, event.getSubjectId(), event);
    worker.metrics().audit(event.getAction(), event.getSeverity().name());
    worker.metrics().decision(event.getAction());
  }

  /** The counter of records of {@code type} on {@code topic} in a form the contract has moved elsewhere, if moved. */
  private Optional<Counter> movedCounter(TopicSpec<?> topic, Class<? extends SpecificRecord> type) {
    return moved.computeIfAbsent(topic.name() + "/" + type.getName(), k -> Topics.movedFrom(topic, type)
        .map(to -> worker.metrics().movedRecord(topic.name(), type.getSimpleName(), to.name())));
  }

  private TimerIndex timers() {
    if (timers == null) {
      throw new IllegalStateException(worker.name() + " was built without a timer index");
    }
    return timers;
  }

  private void deadLetter(TopicSpec<?> topic, String rawKey, byte[] bytes, long timestamp,
      Optional<RecordMetadata> metadata, DeadLetterKind kind, String error) {
    int partition = metadata.map(RecordMetadata::partition).orElse(-1);
    long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
    String source = topic.name();
    String key = deadLetters.shortKey(rawKey == null ? "" : rawKey);
    DeadLetter letter = deadLetters.letter(new DeadLetters.Source(source, partition, offset, Instant.ofEpochMilli(Math.max(0, timestamp))),
        utf8(rawKey), bytes, kind, error, worker.name(), now());
    send(topic.deadLetterTopic(), key, letter);
    worker.metrics().deadLetter(source, kind.name());
    // A dropped HR or MDM record is a security signal: audited, high severity for lifecycle inputs.
    boolean lifecycleInput = topic == Topics.HR_WORKER_EVENTS || topic == Topics.MDM_DEVICE_EVENTS;
    Map<String, String> details = new LinkedHashMap<>(Map.of("sourceTopic", source, "partition", String.valueOf(partition),
        "offset", String.valueOf(offset), "deadLetterTopic", topic.deadLetterTopic().name()));
    if (letter.getTruncated()) {
      details.put("valueSize", String.valueOf(letter.getValueSize()));
      details.put("valueSha256", String.valueOf(letter.getValueSha256()));
    }
    audit(AuditEvent.newBuilder()
        .setSubjectId(auditSubject(topic, key))
        .setAction("input.dead-lettered")
        .setOutcome(AuditOutcome.DEAD_LETTERED)
        .setSeverity(lifecycleInput ? Severity.HIGH : Severity.MEDIUM)
        .setReason(kind + ": " + letter.getError())
        .setPolicyRef(PolicyRefs.INVALIDATION)
        .setControlRefs(List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setCausationId(letter.getEventId())
        .setDetails(details));
    LOG.warn("{} dead-lettered {}-{}@{}: {} {}", worker.name(), source, partition, offset, kind, DeadLetters.cut(error, 500));
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
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
