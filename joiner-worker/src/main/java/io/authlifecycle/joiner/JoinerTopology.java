package io.authlifecycle.joiner;

import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.schemas.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The joiner worker's topology: HR events and IdP facts (both keyed by subject) through one source
 * into the decision processor, with the cases store, the timer index and the audit chain store; it
 * writes commands, notifications, audit records and dead letters, each through its own named sink.
 */
public final class JoinerTopology {

  private JoinerTopology() {}

  /** The store of every subject's {@link JoinerCase}. */
  public static String casesStoreName(WorkerContext worker) {
    return worker.name() + "-cases";
  }

  /** Builds the topology; the rules are read first, so a bad setting fails here, at start. */
  public static Topology build(WorkerContext worker) {
    JoinerDecisions decisions = new JoinerDecisions(JoinerRules.from(worker));
    WorkerTopology topology = new WorkerTopology(worker, worker.streamsBuilder())
        .withTimers()
        .addStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(casesStoreName(worker)),
            Serdes.String(), AvroSerde.of(JoinerCase.class)));
    topology.decide(topology.source(JoinerProcessor.INPUTS), JoinerProcessor.OUTPUTS,
        () -> new JoinerProcessor(worker, decisions));
    return topology.build();
  }
}
