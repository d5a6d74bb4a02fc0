package io.authlifecycle.runtime;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;

/**
 * One component the runtime can run, found through {@link ServiceLoader} like the local stack finds
 * them: a Kafka Streams {@link WorkerApp} or another {@link Launchable} (the IdP gateway). A module
 * that registers one under {@code META-INF/services} and is on the class path can be run by name.
 */
interface Component {

  String name();

  /** Every setting the component reads: the core ones, the policy, and its own. */
  List<Setting<?>> settings();

  /** The registry topics the component uses and what it must be allowed to do on each. */
  Map<String, Set<AclOperation>> topics(Settings settings);

  /** Starts it; returns at once. */
  Running start(Settings settings) throws Exception;

  /** A started component. */
  interface Running extends AutoCloseable {
    /** Waits up to {@code timeout} for the component to stop by itself; true if it has. */
    boolean awaitStop(Duration timeout) throws InterruptedException;

    /** True if it stopped or runs on in a state it does not recover from. */
    boolean failed();

    @Override
    void close();
  }

  /** Every component on the class path, by name. */
  static Map<String, Component> discover() {
    Map<String, Component> found = new TreeMap<>();
    ServiceLoader.load(WorkerApp.class).forEach(app -> found.put(app.name(), new Worker(app)));
    ServiceLoader.load(Launchable.class).forEach(l -> found.put(l.name(), new Other(l)));
    return found;
  }

  /** A Kafka Streams worker: its topics are those its topology reads and those the access plan gives it. */
  record Worker(WorkerApp app) implements Component {

    @Override
    public String name() {
      return app.name();
    }

    @Override
    public List<Setting<?>> settings() {
      return WorkerContext.declared(app.settings());
    }

    @Override
    public Map<String, Set<AclOperation>> topics(Settings settings) {
      WorkerContext context = new WorkerContext(app.name(), settings, AssurancePolicy.from(settings),
          WorkerMetrics.inMemory(app.name()));
      // Outputs go through one sink that names each record's topic, so they come from the plan.
      Map<String, Set<AclOperation>> topics = planned(name(), settings);
      for (TopologyDescription.Subtopology sub : app.buildTopology(context).describe().subtopologies()) {
        for (TopologyDescription.Node node : sub.nodes()) {
          if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
            source.topicSet().forEach(t -> need(topics, t, AclOperation.READ));
          } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
            need(topics, sink.topic(), AclOperation.WRITE);
          }
        }
      }
      return topics;
    }

    @Override
    public Running start(Settings settings) {
      RunningWorker worker = WorkerRunner.start(app, settings);
      return new Running() {
        @Override
        public boolean awaitStop(Duration timeout) throws InterruptedException {
          return worker.awaitStop(timeout);
        }

        @Override
        public boolean failed() {
          return worker.state() == KafkaStreams.State.ERROR;
        }

        @Override
        public void close() {
          worker.close();
        }
      };
    }
  }

  /** Any other component: its topics are its grants in the access plan. */
  record Other(Launchable launchable) implements Component {

    @Override
    public String name() {
      return launchable.name();
    }

    @Override
    public List<Setting<?>> settings() {
      return WorkerContext.declared(launchable.settings());
    }

    @Override
    public Map<String, Set<AclOperation>> topics(Settings settings) {
      return planned(name(), settings);
    }

    @Override
    public Running start(Settings settings) throws Exception {
      Launchable.Launched launched = launchable.launch(settings);
      return new Running() {
        @Override
        public boolean awaitStop(Duration timeout) throws InterruptedException {
          Thread.sleep(timeout.toMillis());
          return launched.failed();
        }

        @Override
        public boolean failed() {
          return launched.failed();
        }

        @Override
        public void close() {
          launched.close();
        }
      };
    }
  }

  /** The topics the access plan lets this component read or write (none for a component it does not name). */
  private static Map<String, Set<AclOperation>> planned(String name, Settings settings) {
    Map<String, Set<AclOperation>> topics = new TreeMap<>();
    for (AccessPlan.Grant g : AccessPlan.standard(settings.get(CoreSettings.APPLICATION_ID_PREFIX)).grantsOf(name)) {
      if (g.resource() == ResourceType.TOPIC && g.pattern() == PatternType.LITERAL
          && EnumSet.of(AclOperation.READ, AclOperation.WRITE).contains(g.operation())) {
        need(topics, g.name(), g.operation());
      }
    }
    return topics;
  }

  /** Registry topics only: repartition and changelog topics are the Streams client's own. */
  private static void need(Map<String, Set<AclOperation>> topics, String topic, AclOperation op) {
    if (Topics.byName(topic).isPresent()) {
      topics.computeIfAbsent(topic, t -> EnumSet.noneOf(AclOperation.class)).add(op);
    }
  }
}
