package io.authlifecycle.ocsf;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.core.audit.AuditCatalog;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerTopology;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.Topology;

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
    WorkerTopology topology = new WorkerTopology(context, context.streamsBuilder());
    OcsfMapper mapper = new OcsfMapper(context.get(PRODUCT_VERSION));
    topology.decide(topology.source(List.of(Topics.AUDIT)), List.of(Topics.AUDIT_OCSF), () -> new Projection(context, mapper));
    return topology.build();
  }

  /** One audit record in, one OCSF event out. */
  static final class Projection extends DecisionProcessor<Void> {

    private final OcsfMapper mapper;

    Projection(WorkerContext worker, OcsfMapper mapper) {
      super(worker, List.of(Topics.AUDIT), null, false);
      this.mapper = mapper;
    }

    @Override
    protected Decision<Void> decide(Void state, String key, SpecificRecord value, Instant now) {
      AuditEvent event = (AuditEvent) value;
      worker.metrics().decision("ocsf." + AuditCatalog.activityOf(event.getAction()).name().toLowerCase(Locale.ROOT));
      return Decision.<Void>none().send(Topics.AUDIT_OCSF, key, mapper.toJson(event));
    }
  }

  public static void main(String[] args) {
    WorkerRunner.main(new OcsfFeed(), args);
  }
}
