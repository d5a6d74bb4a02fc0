package io.authlifecycle.mover;

import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The mover's topology. Device events (keyed by device) are validated by the device intake and
 * re-keyed to their owner through a named repartition topic; with HR events and authenticator
 * facts (keyed by subject) they feed the decision processor, which keeps the registry view and the
 * timer index and writes commands, notifications, recovery requests and audit records.
 */
public final class MoverTopology {

  /** Name of the repartition that brings device events to their owner's task. */
  public static final String DEVICES_BY_OWNER = "mover-device-events-by-owner";

  private MoverTopology() {}

  public static Topology build(WorkerContext worker) {
    StreamsBuilder builder = worker.streamsBuilder();
    KStream<String, DeviceEvent> devicesByOwner = devicesByOwner(worker, builder);
    WorkerTopology topology = new WorkerTopology(worker, builder).withOwnerTrackedTimers()
        .addStore(registryStore(worker));
    WorkerTopology.Inputs inputs = topology.source(MoverProcessor.INPUTS)
        .merge(devicesByOwner, worker.name() + "-all-inputs");
    MoverDecisions decisions = new MoverDecisions(MoverRules.from(worker));
    topology.decide(inputs, MoverProcessor.OUTPUTS, () -> new MoverProcessor(worker, decisions));
    return topology.build();
  }

  /** Stage one: decode and validate device events under their device key, then re-key them to the owner. */
  private static KStream<String, DeviceEvent> devicesByOwner(WorkerContext worker, StreamsBuilder builder) {
    WorkerContext intake = intakeContext(worker);
    WorkerTopology topology = new WorkerTopology(intake, builder);
    KStream<String, Object> checked = topology.decide(topology.source(List.of(Topics.MDM_DEVICE_EVENTS)), List.of(),
        () -> new DeviceIntakeProcessor(intake));
    return checked
        .mapValues(value -> (DeviceEvent) value, Named.as(DeviceIntakeProcessor.ACCEPTED))
        .repartition(Repartitioned.<String, DeviceEvent>as(DEVICES_BY_OWNER)
            .withKeySerde(Serdes.String()).withValueSerde(AvroSerde.of(DeviceEvent.class)));
  }

  /**
   * The device intake chains its dead-letter audits under {@code device:<id>} in a store of its
   * own: it runs in another sub-topology than the subject-keyed decisions.
   */
  static WorkerContext intakeContext(WorkerContext worker) {
    return worker.renamed(worker.name() + "-device-intake");
  }

  public static String registryStoreName(WorkerContext worker) {
    return worker.name() + "-registry";
  }

  /** Cached: a subject's facts arrive in bursts, and one changelog write per commit interval is enough. */
  static StoreBuilder<?> registryStore(WorkerContext worker) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(registryStoreName(worker)),
        Serdes.String(), AvroSerde.of(MoverSubject.class)).withCachingEnabled();
  }
}
