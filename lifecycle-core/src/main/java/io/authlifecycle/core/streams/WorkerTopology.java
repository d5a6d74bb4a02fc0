package io.authlifecycle.core.streams;

import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the common shape of a worker: its input topics as raw bytes through one named source, one
 * named decision processor with the audit chain and checkpoint stores (and the timer index if used)
 * plus the worker's own stores, and one named, typed sink per topic it writes, so {@code describe()}
 * lists every output.
 */
public final class WorkerTopology {

  private final WorkerContext worker;
  private final StreamsBuilder builder;
  private final List<String> storeNames = new ArrayList<>();

  public WorkerTopology(WorkerContext worker, StreamsBuilder builder) {
    this.worker = worker;
    this.builder = builder;
    addStore(auditChainStore(worker));
    addStore(checkpointStore(worker));
  }

  /** What a decision processor reads: a stream and the registry topics behind it (for their dead letters). */
  public record Inputs(KStream<String, Object> stream, List<TopicSpec<?>> topics) {

    /** These inputs plus records already decoded by an intake of the worker (no topic of their own to dead-letter to). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Inputs merge(KStream<String, ?> decoded, String name) {
      return new Inputs(stream.merge((KStream) decoded, Named.as(name)), topics);
    }
  }

  /**
   * The audit chain heads of a worker: one persistent, logged store, cached so that a subject's
   * several audit records in one commit interval write its head to the changelog once.
   */
  public static StoreBuilder<?> auditChainStore(WorkerContext worker) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(worker.auditStoreName()),
        Serdes.String(), AvroSerde.of(AuditChainHead.class)).withCachingEnabled();
  }

  /**
   * The chain heads changed since each task's last audit checkpoint: small, logged, committed with
   * the records. Cached, so a chain changed many times in a commit interval is one changelog write.
   */
  public static StoreBuilder<?> checkpointStore(WorkerContext worker) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(worker.checkpointStoreName()),
        Serdes.String(), AvroSerde.of(AuditChainHead.class)).withCachingEnabled();
  }

  /** Adds a state store the decision processor will be connected to. */
  public WorkerTopology addStore(StoreBuilder<?> store) {
    builder.addStateStore(store);
    storeNames.add(store.name());
    return this;
  }

  /** Adds the worker's timer index stores. */
  public WorkerTopology withTimers() {
    TimerIndex.storeBuilders(worker.name()).forEach(this::addStore);
    return this;
  }

  /**
   * Adds the worker's timer index as its by-due store alone, for a worker whose state records the
   * due time of every timer it has pending and names it when it moves or cancels one.
   */
  public WorkerTopology withOwnerTrackedTimers() {
    TimerIndex.dueOnlyStoreBuilders(worker.name()).forEach(this::addStore);
    return this;
  }

  /**
   * The raw input of the given topics, through one source named {@code <worker>-source}; in a
   * {@link TopologyHost}, the host's source of each topic, merged ({@code <worker>-source-<n>}).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Inputs source(List<TopicSpec<?>> topics) {
    KStream<String, byte[]> raw;
    if (worker.host() != null && worker.host().builder() == builder) {
      raw = worker.host().source(topics.get(0));
      for (int i = 1; i < topics.size(); i++) {
        raw = raw.merge(worker.host().source(topics.get(i)), Named.as(worker.name() + "-source-" + i));
      }
    } else {
      raw = builder.stream(topics.stream().map(TopicSpec::name).toList(),
          Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(worker.name() + "-source"));
    }
    return new Inputs((KStream) raw, List.copyOf(topics));
  }

  /**
   * Runs the decision processor ({@code <worker>-decisions}) over the inputs and connects a sink
   * per topic it may write: the audit and checkpoint topics, each input's dead-letter topic and {@code outputs}.
   * Returns the processor's stream for records it forwards to a named child (an intake's repartition).
   */
  public KStream<String, Object> decide(Inputs inputs, List<TopicSpec<?>> outputs,
      ProcessorSupplier<String, Object, String, Object> decisions) {
    KStream<String, Object> out = inputs.stream().process(decisions, Named.as(processorName(worker)),
        storeNames.toArray(String[]::new));
    for (TopicSpec<?> topic : writes(inputs.topics(), outputs)) {
      sink(out, topic);
    }
    return out;
  }

  /** Every topic a decision processor reading {@code inputs} and declaring {@code outputs} writes. */
  public static Set<TopicSpec<?>> writes(List<TopicSpec<?>> inputs, List<TopicSpec<?>> outputs) {
    Set<TopicSpec<?>> topics = new LinkedHashSet<>(outputs);
    topics.add(Topics.AUDIT);
    topics.add(Topics.AUDIT_CHECKPOINTS);
    inputs.forEach(t -> topics.add(t.deadLetterTopic()));
    return topics;
  }

  public static String processorName(WorkerContext worker) {
    return worker.name() + "-decisions";
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <V> void sink(KStream<String, Object> out, TopicSpec<V> topic) {
    ((KStream<String, V>) (KStream) out).to(topic.name(),
        Produced.with(topic.keySerde(), topic.valueSerde()).withName(DecisionProcessor.sinkName(worker.name(), topic)));
  }

  public StreamsBuilder builder() {
    return builder;
  }

  public Topology build() {
    return builder.build();
  }
}
