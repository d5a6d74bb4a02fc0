package io.authlifecycle.joiner;

import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.joiner.onboarding.JoinerConfig;
import io.authlifecycle.joiner.onboarding.Onboarding;
import io.authlifecycle.schemas.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * HR events and IdP facts, both keyed by subject, into one decision processor with the subject's
 * onboarding case, the audit chains and the timer index; its output to the outbound sink.
 */
public final class JoinerTopology {

  private JoinerTopology() {}

  public static String casesStoreName(WorkerContext worker) {
    return worker.name() + "-cases";
  }

  /** Builds the topology; the config is validated first, so a bad setting fails here, at start. */
  public static Topology build(WorkerContext worker) {
    JoinerConfig config = JoinerSettings.config(worker.settings());
    Onboarding onboarding = new Onboarding(worker.name(), worker.policy(), config);
    WorkerTopology topology = new WorkerTopology(worker, new StreamsBuilder())
        .withTimers()
        .addStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(casesStoreName(worker)),
            Serdes.String(), AvroSerde.of(JoinerCase.class)));
    topology.decide(topology.source(JoinerProcessor.INPUTS), JoinerProcessor.OUTPUTS,
        () -> new JoinerProcessor(worker, onboarding));
    return topology.build();
  }
}
