package io.authlifecycle.e2e.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every topic a worker's topology writes, as {@code Topology.describe()} lists its sinks, is one
 * the access plan lets that worker write, and every registry topic the plan lets it write is one
 * it has a sink for: the ACLs and the code cannot drift apart.
 */
class TopologyOutputsTest {

  static List<WorkerApp> workers() {
    return ServiceLoader.load(WorkerApp.class).stream().map(ServiceLoader.Provider::get)
        .filter(app -> !app.name().startsWith("probe")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workers")
  void describedSinksAreExactlyTheWriteGrantsOfTheWorker(WorkerApp app) {
    WorkerContext context = WorkerContext.forTest(app.name(), app.settings(), Map.of());
    String internalPrefix = context.applicationId() + "-";

    Set<String> sinks = app.buildTopology(context).describe().subtopologies().stream()
        .flatMap(s -> s.nodes().stream())
        .filter(TopologyDescription.Sink.class::isInstance)
        .map(n -> ((TopologyDescription.Sink) n).topic())
        .filter(topic -> !topic.startsWith(internalPrefix) && !topic.startsWith(TopologyOutputsTest.repartitionPrefix()))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> granted = AccessPlan.standard("authn-lifecycle").grantsOf(app.name()).stream()
        .filter(g -> g.resource() == ResourceType.TOPIC && g.pattern() == PatternType.LITERAL
            && g.operation() == AclOperation.WRITE)
        .map(AccessPlan.Grant::name)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(sinks).as("topics %s writes", app.name()).isNotEmpty().isEqualTo(granted);
  }

  /** Repartition sinks named in the DSL carry no application id in the description. */
  private static String repartitionPrefix() {
    return "mover-device-events-by-owner";
  }

  @Test
  void everyWorkerIsChecked() {
    assertThat(workers()).extracting(WorkerApp::name)
        .contains("joiner-worker", "mover-worker", "leaver-worker", "recovery-worker", "ocsf-feed");
  }
}
