package io.authlifecycle.mover;

import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.streams.Outbound;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The mover's topology. Device events (keyed by device) are validated by the device intake and
 * re-keyed to their owner through a named repartition topic; with HR events and authenticator
 * facts (keyed by subject) they feed the one decision processor, which keeps the registry view
 * and the timer index. Everything decided leaves through the outbound sinks.
 */
public final class MoverTopology {

  /** Name of the repartition that brings device events to their owner's task. */
  public static final String DEVICES_BY_OWNER = "mover-device-events-by-owner";

  private MoverTopology() {}

  public static Topology build(WorkerContext worker) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, byte[]> devicesByOwner = devicesByOwner(worker, builder);

    WorkerTopology topology = new WorkerTopology(worker, builder).withTimers().addStore(registryStore(worker));
    KStream<String, byte[]> inputs = topology
        .source("mover-subject-inputs", List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS))
        .merge(devicesByOwner, Named.as("mover-all-inputs"));
    TopicSpec<?> byOwner = devicesByOwnerTopic(worker);
    topology.decide(inputs, () -> new MoverProcessor(worker, byOwner, MoverSettings.rules(worker)));
    return builder.build();
  }

  /** Stage one: decode and validate device events under their device key, then re-key to the owner. */
  private static KStream<String, byte[]> devicesByOwner(WorkerContext worker, StreamsBuilder builder) {
    WorkerContext intake = intakeContext(worker);
    builder.addStateStore(WorkerTopology.auditChainStore(intake));
    String byOwnerTopic = devicesByOwnerTopic(worker).name();
    KStream<String, Outbound> checked = builder
        .stream(Topics.MDM_DEVICE_EVENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("mover-device-events"))
        .process(() -> new DeviceIntakeProcessor(intake, byOwnerTopic), Named.as("mover-device-intake"),
            intake.auditStoreName());
    Map<String, KStream<String, Outbound>> routes = checked.split(Named.as("mover-device-"))
        .branch((key, out) -> out.topic().equals(byOwnerTopic), Branched.as("accepted"))
        .defaultBranch(Branched.as("rejected"));
    Outbound.sink(routes.get("mover-device-rejected"), "mover-device-intake-outbound");
    return routes.get("mover-device-accepted")
        .mapValues(Outbound::value, Named.as("mover-device-event-bytes"))
        .repartition(Repartitioned.<String, byte[]>as(DEVICES_BY_OWNER)
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
  }

  /**
   * The device intake chains its dead-letter audits under {@code device:<id>} in a store of its
   * own: it runs in another sub-topology than the subject-keyed decisions.
   */
  static WorkerContext intakeContext(WorkerContext worker) {
    return new WorkerContext(worker.worker() + "-device-intake", worker.settings(), worker.policy(), worker.metrics());
  }

  /** The repartition topic, read under the MDM contract but keyed by the owner's subject id. */
  static TopicSpec<?> devicesByOwnerTopic(WorkerContext worker) {
    TopicSpec<?> mdm = Topics.MDM_DEVICE_EVENTS;
    return new TopicSpec<>(worker.applicationId() + "-" + DEVICES_BY_OWNER + "-repartition", mdm.valueSerde(),
        mdm.recordTypes(), TopicSpec.KeyKind.SUBJECT_ID, mdm.partitions(), mdm.deadLetters());
  }

  public static String registryStoreName(WorkerContext worker) {
    return worker.worker() + "-registry";
  }

  /** Cached: a subject's facts arrive in bursts, and one changelog write per commit interval is enough. */
  static StoreBuilder<?> registryStore(WorkerContext worker) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(registryStoreName(worker)),
        Serdes.String(), AvroSerde.of(MoverSubject.class)).withCachingEnabled();
  }
}
