package io.authlifecycle.core.testing;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The smallest worker on the shared runtime: audits every HR event it accepts and, a minute
 * later, a timer firing for it. Exercises decoding, dead letters, audit chains and timers.
 */
public final class ProbeWorker implements WorkerApp {

  @Override
  public String name() {
    return "probe-worker";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of();
  }

  /** The audit chain heads stand in for per-subject state. */
  @Override
  public List<String> subjectStores() {
    return List.of("probe-worker-audit-chain");
  }

  @Override
  public Topology buildTopology(WorkerContext context) {
    WorkerTopology topology = new WorkerTopology(context, new StreamsBuilder()).withTimers();
    topology.decide(topology.source("probe-inputs", List.of(Topics.HR_WORKER_EVENTS)), () -> new Probe(context));
    return topology.builder().build();
  }

  static final class Probe extends DecisionProcessor {

    Probe(WorkerContext worker) {
      super(worker, List.of(Topics.HR_WORKER_EVENTS), true);
    }

    @Override
    protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
      WorkerEvent event = (WorkerEvent) value;
      emit().audit(AuditEvent.newBuilder().setSubjectId(key).setAction("probe.received")
          .setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO).setCausationId(event.getEventId()));
      timers().schedule(TimerEntry.newBuilder().setOwner(key).setKind("probe.later")
          .setDueAt(emit().now().plus(Duration.ofMinutes(1))).setCausationId(event.getEventId()).build());
    }

    @Override
    protected void onTimer(TimerEntry timer) {
      emit().audit(AuditEvent.newBuilder().setSubjectId(timer.getOwner()).setAction("probe.timer")
          .setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO).setCausationId(timer.getCausationId()));
    }
  }
}
