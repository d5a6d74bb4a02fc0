package io.authlifecycle.joiner;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.Topology;

/** The joiner worker: enrollment tickets after verified identity, binding checks, expiry and reminders. */
public final class JoinerWorker implements WorkerApp {

  public static final String NAME = "joiner-worker";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return JoinerSettings.ALL;
  }

  /** The onboarding case per subject, for GET /subjects. */
  @Override
  public List<String> subjectStores() {
    return List.of(NAME + "-cases");
  }

  @Override
  public boolean decides(Class<? extends SpecificRecord> type) {
    return JoinerProcessor.DECIDES.contains(type);
  }

  @Override
  public Topology buildTopology(WorkerContext context) {
    return JoinerTopology.build(context);
  }

  public static void main(String[] args) {
    WorkerRunner.main(new JoinerWorker(), args);
  }
}
