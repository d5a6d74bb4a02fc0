package io.authlifecycle.ocsf;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Record;

/** Projects every audit record to OCSF 1.8.0 JSON on {@code audit.ocsf.v1}, keyed by subject. */
public final class OcsfFeed implements WorkerApp {

  public static final Setting<String> PRODUCT_VERSION = Setting.string("ocsf.product-version", "0.1.0",
      "The product version written to metadata.product.version.");

  @Override
  public String name() {
    return "ocsf-feed";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PRODUCT_VERSION);
  }

  @Override
  public Topology buildTopology(WorkerContext context) {
    WorkerTopology topology = new WorkerTopology(context, new StreamsBuilder());
    OcsfMapper mapper = new OcsfMapper(context.get(PRODUCT_VERSION));
    topology.decide(topology.source("ocsf-audit-source", List.of(Topics.AUDIT)), () -> new Projection(context, mapper));
    return topology.builder().build();
  }

  /** One audit record in, one OCSF event out. */
  static final class Projection extends DecisionProcessor {

    private final OcsfMapper mapper;

    Projection(WorkerContext worker, OcsfMapper mapper) {
      super(worker, List.of(Topics.AUDIT), false);
      this.mapper = mapper;
    }

    @Override
    protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
      AuditEvent event = (AuditEvent) value;
      emit().send(Topics.AUDIT_OCSF, key, mapper.toJson(event));
      worker.metrics().decision("ocsf." + AuditActions.activityOf(event.getAction()).name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  public static void main(String[] args) {
    WorkerRunner.main(new OcsfFeed(), args);
  }
}
