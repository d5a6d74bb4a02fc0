package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
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
import org.apache.kafka.streams.StreamsBuilder;

/**
 * What a topology is built from: the worker's name, its validated settings, the policy and its
 * meters, and, when several workers share one Streams application, the {@link TopologyHost} (else null).
 */
public record WorkerContext(String name, Settings settings, AssurancePolicy policy, WorkerMetrics metrics, TopologyHost host) {

  /** A worker that runs as a Streams application of its own. */
  public WorkerContext(String name, Settings settings, AssurancePolicy policy, WorkerMetrics metrics) {
    this(name, settings, policy, metrics, null);
  }

  /** The same worker under another name (a stage of it that chains its own audit records), in the same host. */
  public WorkerContext renamed(String newName) {
    return new WorkerContext(newName, settings, policy, metrics, host);
  }

  /** The builder the worker's topology goes into: its own, or the host's it shares with other workers. */
  public StreamsBuilder streamsBuilder() {
    return host == null ? new StreamsBuilder() : host.builder();
  }

  /** Every setting a worker declares: the core ones, the wire format's, the audit checkpoints', the policy's, the HR fold's and its own. */
  public static List<Setting<?>> declared(List<Setting<?>> own) {
    List<Setting<?>> all = new ArrayList<>(CoreSettings.ALL);
    all.addAll(SerdeSettings.ALL);
    all.addAll(CheckpointSettings.ALL);
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

  /** The changed chain heads and the last checkpoint of each of this worker's tasks. */
  public String checkpointStoreName() {
    return name + "-audit-checkpoint";
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
