package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a topology is built from: the worker's name, its validated settings, the policy and its meters. */
public record WorkerContext(String name, Settings settings, AssurancePolicy policy, WorkerMetrics metrics) {

  /** Every setting a worker declares: the core ones, the wire format's, the policy's, the HR fold's and its own. */
  public static List<Setting<?>> declared(List<Setting<?>> own) {
    List<Setting<?>> all = new ArrayList<>(CoreSettings.ALL);
    all.addAll(SerdeSettings.ALL);
    all.addAll(AssurancePolicy.SETTINGS);
    all.addAll(StandingRules.SETTINGS);
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

  public <T> T get(Setting<T> setting) {
    return settings.get(setting);
  }

  /**
   * The topic this worker's commands go to: one per issuing worker, so the gateway knows the
   * issuer from where a command came (each worker may write only its own).
   */
  public TopicSpec<AuthenticatorCommand> commandTopic() {
    TopicSpec<AuthenticatorCommand> topic = Topics.COMMANDS_BY_ISSUER.get(name);
    if (topic == null) {
      throw new IllegalStateException(name + " has no command topic: it may not issue commands");
    }
    return topic;
  }

  public String applicationId() {
    return settings.get(CoreSettings.APPLICATION_ID_PREFIX) + "-" + name;
  }
}
