package io.authlifecycle.core.streams;

import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.schemas.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the common shape of a worker: its input topics as raw bytes, one named decision
 * processor with the audit chain store (and the timer index if used) plus the worker's own
 * stores, and one outbound sink.
 */
public final class WorkerTopology {

  private final WorkerContext worker;
  private final StreamsBuilder builder;
  private final List<String> storeNames = new ArrayList<>();

  public WorkerTopology(WorkerContext worker, StreamsBuilder builder) {
    this.worker = worker;
    this.builder = builder;
    addStore(auditChainStore(worker));
  }

  /** The audit chain heads of a worker: one persistent, logged store. */
  public static StoreBuilder<?> auditChainStore(WorkerContext worker) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(worker.auditStoreName()),
        Serdes.String(), AvroSerde.of(AuditChainHead.class));
  }

  /** Adds a state store the decision processor will be connected to. */
  public WorkerTopology addStore(StoreBuilder<?> store) {
    builder.addStateStore(store);
    storeNames.add(store.name());
    return this;
  }

  /** Adds the worker's timer index stores. */
  public WorkerTopology withTimers() {
    TimerIndex.storeBuilders(worker.worker()).forEach(this::addStore);
    return this;
  }

  /** The raw input stream of the given topics, through one named source. */
  public KStream<String, byte[]> source(String name, List<TopicSpec<?>> topics) {
    return builder.stream(topics.stream().map(TopicSpec::name).toList(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name));
  }

  /** Runs the decision processor over the inputs and sends its output to the outbound sink. */
  public void decide(KStream<String, byte[]> inputs, ProcessorSupplier<String, byte[], String, Outbound> decisions) {
    KStream<String, Outbound> out = inputs.process(decisions, Named.as(worker.worker() + "-decisions"),
        storeNames.toArray(String[]::new));
    Outbound.sink(out, worker.worker() + "-outbound");
  }

  public StreamsBuilder builder() {
    return builder;
  }
}
