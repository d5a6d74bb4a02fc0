package io.authlifecycle.recovery;

import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.schemas.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery worker's topology: HR events, recovery requests, signed approval decisions and
 * authenticator facts (all keyed by subject) through one source into the decision processor, with
 * the per-subject store, the timer index and the audit chain store; it writes commands, approval
 * requests, notifications, audit records and dead letters.
 */
public final class RecoveryTopology {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryTopology.class);

  private RecoveryTopology() {}

  /** The store of every subject's {@link RecoverySubject}. */
  public static String subjectStoreName(WorkerContext worker) {
    return worker.name() + "-subjects";
  }

  public static Topology build(WorkerContext worker) {
    RecoveryRules rules = RecoveryRules.from(worker);
    if (rules.people(Role.APPROVER) == 0) {
      LOG.warn("{}: person.keys registers no APPROVER key, so no approval decision can count and every recovery will expire",
          worker.name());
    }
    if (rules.people(Role.HELP_DESK) == 0) {
      LOG.warn("{}: person.keys registers no HELP_DESK key, so every help-desk request will be refused as unsigned",
          worker.name());
    }
    WorkerTopology topology = new WorkerTopology(worker, worker.streamsBuilder())
        .withTimers()
        .addStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(subjectStoreName(worker)),
            Serdes.String(), AvroSerde.of(RecoverySubject.class)));
    topology.decide(topology.source(RecoveryProcessor.INPUTS), RecoveryProcessor.OUTPUTS,
        () -> new RecoveryProcessor(worker, rules));
    return topology.build();
  }
}
