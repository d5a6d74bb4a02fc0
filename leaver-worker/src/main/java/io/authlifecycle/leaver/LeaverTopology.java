package io.authlifecycle.leaver;

import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.schemas.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The leaver worker's topology: HR events and authenticator facts (both keyed by subject) through
 * one source into the decision processor, with the cases store, the gauge counts, the timer index
 * and the audit chain store; it writes commands, audit records and dead letters.
 */
public final class LeaverTopology {

  private LeaverTopology() {}

  public static Topology build(WorkerContext worker) {
    LeaverGauges.register(worker.metrics());
    WorkerTopology topology = new WorkerTopology(worker, worker.streamsBuilder())
        .withTimers()
        .addStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(casesStoreName(worker)),
            Serdes.String(), AvroSerde.of(LeaverCaseState.class)))
        .addStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(gaugesStoreName(worker)),
            Serdes.String(), Serdes.Long()));
    topology.decide(topology.source(LeaverProcessor.INPUTS), LeaverProcessor.OUTPUTS, () -> new LeaverProcessor(worker));
    return topology.build();
  }

  /** The store of every subject's {@link LeaverCaseState}. */
  public static String casesStoreName(WorkerContext worker) {
    return worker.name() + "-cases";
  }

  static String gaugesStoreName(WorkerContext worker) {
    return worker.name() + "-gauge-counts";
  }
}
