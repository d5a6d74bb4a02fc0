package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.core.audit.AuditCatalog;
import io.authlifecycle.core.audit.AuditWriter;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * How a processor's decisions leave it: commands, notifications, audit records and anything
 * else, encoded for their topic and forwarded to the single outbound sink.
 */
public final class Emitter {

  private final ProcessorContext<String, Outbound> context;
  private final AuditWriter audit;
  private final WorkerMetrics metrics;

  public Emitter(ProcessorContext<String, Outbound> context, AuditWriter audit, WorkerMetrics metrics) {
    this.context = context;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** Wall-clock now, as the Streams runtime (or a test driver) sees it. */
  public Instant now() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }

  public <V> void send(TopicSpec<V> topic, String key, V value) {
    context.forward(new Record<>(key, Outbound.of(topic, key, value), context.currentSystemTimeMs()));
  }

  /** Sends a command and records the time from its causing event to now. */
  public void command(AuthenticatorCommand command) {
    send(Topics.COMMANDS, command.getSubjectId(), command);
    String decision = command.getAction().name();
    metrics.decision(decision);
    metrics.latency(decision, Duration.between(command.getCausationTime(), now()));
  }

  public void notify(SubjectNotification notification) {
    send(Topics.NOTIFICATIONS, notification.getSubjectId(), notification);
  }

  /** Chains and sends an audit record; returns it as written. */
  public AuditEvent audit(AuditEvent.Builder draft) {
    if (!AuditCatalog.isKnown(draft.getAction())) {
      metrics.uncataloguedAudit(draft.getAction());
    }
    AuditEvent event = audit.append(draft, context.currentSystemTimeMs());
    send(Topics.AUDIT, event.getSubjectId(), event);
    metrics.audit(event.getAction(), event.getSeverity().name());
    return event;
  }

  public WorkerMetrics metrics() {
    return metrics;
  }
}
