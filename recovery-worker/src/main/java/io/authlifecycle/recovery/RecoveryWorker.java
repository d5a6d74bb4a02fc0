package io.authlifecycle.recovery;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.Topology;

/** The recovery worker: recovery through signed approvals, stricter than login. */
public final class RecoveryWorker implements WorkerApp {

  public static final String NAME = "recovery-worker";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return RecoverySettings.ALL;
  }

  /** Each subject's recovery cases, rate-limit window and lock, for GET /subjects. */
  @Override
  public List<String> subjectStores() {
    return List.of(NAME + "-subjects");
  }

  @Override
  public boolean decides(Class<? extends SpecificRecord> type) {
    return RecoveryProcessor.DECIDES.contains(type);
  }

  @Override
  public Topology buildTopology(WorkerContext context) {
    return RecoveryTopology.build(context);
  }

  public static void main(String[] args) {
    WorkerRunner.main(new RecoveryWorker(), args);
  }
}
