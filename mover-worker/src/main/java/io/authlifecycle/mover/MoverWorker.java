package io.authlifecycle.mover;

import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.schemas.AvroJson;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The mover-worker: role changes re-evaluate assurance, device incidents revoke or suspend, expiry and staleness fire on time. */
public final class MoverWorker implements WorkerApp {

  public static final String NAME = "mover-worker";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return MoverSettings.ALL;
  }

  @Override
  public Topology buildTopology(WorkerContext context) {
    return MoverTopology.build(context);
  }

  /** {@code GET /registry?subjectId=...}: the subject's registry view as Avro JSON (from this instance's partitions). */
  @Override
  public Map<String, QueryRoute> queryRoutes(WorkerContext context, KafkaStreams streams) {
    return Map.of("/registry", query -> {
      String subjectId = query.get("subjectId");
      if (subjectId == null || subjectId.isBlank()) {
        return null;
      }
      ReadOnlyKeyValueStore<String, MoverSubject> store = streams.store(StoreQueryParameters.fromNameAndType(
          MoverTopology.registryStoreName(context), QueryableStoreTypes.keyValueStore()));
      MoverSubject subject = store.get(subjectId);
      return subject == null ? null : AvroJson.write(subject);
    });
  }

  public static void main(String[] args) {
    WorkerRunner.main(new MoverWorker(), args);
  }
}
