package io.authlifecycle.core.runtime;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.streams.TopologyHost;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * An optional deployment mode: several workers as sub-topologies of one Streams application per
 * process, so a record every one of them reads is fetched once, and one transaction per commit
 * carries all their outputs. Each worker decides, stores and audits exactly as when it runs alone:
 * its processors, stores, timers, audit chain and sinks keep their names, and its meters their
 * {@code worker} tag. What changes is the application id ({@code <prefix>-<host name>}), hence the
 * consumer group, the transactional ids and the changelog topic names; so the mode is chosen when
 * a deployment starts, not switched on existing state. The workers scale together.
 */
public final class CoHostedWorkers implements WorkerApp {

  /** The host's name when none is given: its application id is {@code <prefix>-lifecycle-deciders}. */
  public static final String DEFAULT_NAME = "lifecycle-deciders";

  private final String name;
  private final List<WorkerApp> workers;

  public CoHostedWorkers(String name, List<WorkerApp> workers) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("a host needs at least one worker");
    }
    this.name = name;
    this.workers = List.copyOf(workers);
  }

  public List<WorkerApp> workers() {
    return workers;
  }

  @Override
  public String name() {
    return name;
  }

  /** Every hosted worker's settings, each key once. */
  @Override
  public List<Setting<?>> settings() {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    workers.forEach(w -> w.settings().forEach(s -> byKey.putIfAbsent(s.key(), s)));
    return new ArrayList<>(byKey.values());
  }

  /** Each worker's topology into one builder; each worker's meters keep their own worker tag. */
  @Override
  public Topology buildTopology(WorkerContext context) {
    TopologyHost host = new TopologyHost();
    for (WorkerApp worker : workers) {
      worker.buildTopology(contextOf(worker, context, host));
    }
    return host.builder().build();
  }

  @Override
  public List<String> subjectStores() {
    return workers.stream().flatMap(w -> w.subjectStores().stream()).distinct().toList();
  }

  @Override
  public List<String> timerIndexes() {
    return workers.stream().map(WorkerApp::name).toList();
  }

  @Override
  public boolean decides(Class<? extends SpecificRecord> type) {
    return workers.stream().anyMatch(w -> w.decides(type));
  }

  @Override
  public Map<String, QueryRoute> queryRoutes(WorkerContext context, KafkaStreams streams) {
    Map<String, QueryRoute> routes = new LinkedHashMap<>();
    for (WorkerApp worker : workers) {
      worker.queryRoutes(contextOf(worker, context, null), streams).forEach(routes::putIfAbsent);
    }
    return routes;
  }

  private static WorkerContext contextOf(WorkerApp worker, WorkerContext host, TopologyHost topologyHost) {
    return new WorkerContext(worker.name(), host.settings(), host.policy(),
        new WorkerMetrics(worker.name(), host.metrics().registry()), topologyHost);
  }
}
