package io.authlifecycle.core.streams;

import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.policy.AssurancePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a topology is built from: the worker's name, its validated settings, the policy and its meters. */
public record WorkerContext(String name, Settings settings, AssurancePolicy policy, WorkerMetrics metrics) {

  /** Every setting a worker declares: the core ones, the audit checkpoints', the policy's and its own. */
  public static List<Setting<?>> declared(List<Setting<?>> own) {
    List<Setting<?>> all = new ArrayList<>(CoreSettings.ALL);
    all.addAll(CheckpointSettings.ALL);
    all.addAll(AssurancePolicy.SETTINGS);
    all.addAll(own);
    return all;
  }

  /** A context from defaults plus the given overrides: for tests and tools. */
  public static WorkerContext forTest(String worker, List<Setting<?>> own, Map<String, String> overrides) {
    Settings settings = Settings.load(declared(own), Optional.empty(), Map.of(), overrides);
    return new WorkerContext(worker, settings, AssurancePolicy.from(settings), WorkerMetrics.inMemory(worker));
  }

  /** Store name prefix and audit chain store of this worker. */
  public String auditStoreName() {
    return name + "-audit-chain";
  }

  /** The changed chain heads and the last checkpoint of each of this worker's tasks. */
  public String checkpointStoreName() {
    return name + "-audit-checkpoint";
  }

  public <T> T get(Setting<T> setting) {
    return settings.get(setting);
  }

  public String applicationId() {
    return settings.get(CoreSettings.APPLICATION_ID_PREFIX) + "-" + name;
  }
}
