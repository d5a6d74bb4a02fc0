package io.authlifecycle.e2e.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.runtime.CoHostedWorkers;
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

  @Test
  void theCoHostWritesExactlyWhatItsWorkersWriteAndItsPrincipalIsGrantedNoMore() {
    List<WorkerApp> hosted = workers();
    CoHostedWorkers host = new CoHostedWorkers(CoHostedWorkers.DEFAULT_NAME, hosted);
    WorkerContext context = WorkerContext.forTest(host.name(), host.settings(), Map.of());
    AccessPlan plan = AccessPlan.standard("authn-lifecycle")
        .withCoHost(host.name(), hosted.stream().map(WorkerApp::name).toList());

    Set<String> granted = topicGrants(plan, host.name(), AclOperation.WRITE);
    Set<String> writtenByTheWorkers = new TreeSet<>();
    Set<String> readByTheWorkers = new TreeSet<>();
    hosted.forEach(w -> writtenByTheWorkers.addAll(topicGrants(plan, w.name(), AclOperation.WRITE)));
    hosted.forEach(w -> readByTheWorkers.addAll(topicGrants(plan, w.name(), AclOperation.READ)));

    assertThat(sinks(host, context)).isEqualTo(granted).isEqualTo(writtenByTheWorkers);
    assertThat(topicGrants(plan, host.name(), AclOperation.READ)).isEqualTo(readByTheWorkers);
    assertThat(plan.grantsOf(host.name())).filteredOn(g -> g.pattern() == PatternType.PREFIXED)
        .extracting(AccessPlan.Grant::name).containsOnly("authn-lifecycle-" + host.name() + "-", "authn-lifecycle-" + host.name());
  }

  private static Set<String> sinks(WorkerApp app, WorkerContext context) {
    String internalPrefix = context.applicationId() + "-";
    return app.buildTopology(context).describe().subtopologies().stream()
        .flatMap(s -> s.nodes().stream())
        .filter(TopologyDescription.Sink.class::isInstance)
        .map(n -> ((TopologyDescription.Sink) n).topic())
        .filter(topic -> !topic.startsWith(internalPrefix) && !topic.startsWith(TopologyOutputsTest.repartitionPrefix()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> topicGrants(AccessPlan plan, String principal, AclOperation operation) {
    return plan.grantsOf(principal).stream()
        .filter(g -> g.resource() == ResourceType.TOPIC && g.pattern() == PatternType.LITERAL && g.operation() == operation)
        .map(AccessPlan.Grant::name)
        .collect(Collectors.toCollection(TreeSet::new));
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
