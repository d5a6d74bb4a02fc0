package io.authlifecycle.recovery;

import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery worker's topology: HR events, recovery requests, signed approval decisions and
 * authenticator facts (all keyed by subject) into one decision processor with the per-subject
 * store and the timer index; commands, approval requests, notifications and audit out.
 */
public final class RecoveryTopology {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.RECOVERY_REQUESTS,
      Topics.APPROVAL_DECISIONS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS, Topics.NOTIFICATIONS, Topics.APPROVAL_REQUESTS);

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryTopology.class);

  private RecoveryTopology() {}

  public static String subjectStoreName(WorkerContext context) {
    return context.name() + "-subjects";
  }

  public static Topology build(WorkerContext context) {
    RecoveryRules rules = RecoveryRules.from(context);
    if (rules.approverCount() == 0) {
      LOG.warn("{}: approvers.keys is empty, so no approval decision can count and every recovery will expire",
          context.name());
    }
    WorkerTopology topology = new WorkerTopology(context, new StreamsBuilder()).withTimers();
    topology.addStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(subjectStoreName(context)),
        Serdes.String(), SubjectState.SERDE));
    topology.decide(topology.source(INPUTS), OUTPUTS, () -> new RecoveryDecisionProcessor(context, rules));
    return topology.build();
  }
}
