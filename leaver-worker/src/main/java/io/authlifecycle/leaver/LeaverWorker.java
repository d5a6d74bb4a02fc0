package io.authlifecycle.leaver;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.Topology;

/** The leaver worker: revokes everything of an effective leaver and tracks it until the IdP confirms. */
public final class LeaverWorker implements WorkerApp {

  public static final String NAME = "leaver-worker";

  public static void main(String[] args) {
    WorkerRunner.main(new LeaverWorker(), args);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return LeaverSettings.ALL;
  }

  /** The leaver case per subject, for GET /subjects. */
  @Override
  public List<String> subjectStores() {
    return List.of(NAME + "-cases");
  }

  @Override
  public boolean decides(Class<? extends SpecificRecord> type) {
    return LeaverProcessor.DECIDES.contains(type);
  }

  @Override
  public Topology buildTopology(WorkerContext context) {
    return LeaverTopology.build(context);
  }
}
