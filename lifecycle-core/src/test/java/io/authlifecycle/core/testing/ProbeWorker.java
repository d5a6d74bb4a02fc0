package io.authlifecycle.core.testing;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

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
    topology.decide(topology.source(List.of(Topics.HR_WORKER_EVENTS)), List.of(), () -> new Probe(context));
    return topology.build();
  }

  static final class Probe extends DecisionProcessor<Void> {

    Probe(WorkerContext worker) {
      super(worker, List.of(Topics.HR_WORKER_EVENTS), null, true);
    }

    @Override
    protected Decision<Void> decide(Void state, String key, SpecificRecord value, Instant now) {
      WorkerEvent event = (WorkerEvent) value;
      return Decision.<Void>none()
          .audit(AuditEvent.newBuilder().setSubjectId(key).setAction("probe.received")
              .setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO).setCausationId(event.getEventId()))
          .schedule(TimerEntry.newBuilder().setOwner(key).setKind("probe.later")
              .setDueAt(now.plus(Duration.ofMinutes(1))).setCausationId(event.getEventId()).build());
    }

    @Override
    protected Decision<Void> onTimer(Void state, TimerEntry timer, Instant now) {
      return Decision.<Void>none().audit(AuditEvent.newBuilder().setSubjectId(timer.getOwner()).setAction("probe.timer")
          .setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO).setCausationId(timer.getCausationId()));
    }
  }
}
