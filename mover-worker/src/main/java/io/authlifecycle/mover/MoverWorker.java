package io.authlifecycle.mover;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.List;
import org.apache.kafka.streams.Topology;

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

  /** The authenticator registry view per subject, for GET /subjects. */
  @Override
  public List<String> subjectStores() {
    return List.of(NAME + "-registry");
  }

  public static void main(String[] args) {
    WorkerRunner.main(new MoverWorker(), args);
  }
}
