package io.authlifecycle.e2e.bench;

import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.deploy.Components;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The workers on the class path (found as the local stack finds them, through {@code ServiceLoader})
 * and the registry topics each one reads, taken from the source nodes of its own topology; so
 * whatever workers are present, the benchmark and the fault tests know who consumes what.
 */
public final class WorkerInputs {

  private final Map<String, Set<String>> topicsByWorker;
  private final Map<String, WorkerApp> apps;

  private WorkerInputs(Map<String, Set<String>> topicsByWorker, Map<String, WorkerApp> apps) {
    this.topicsByWorker = topicsByWorker;
    this.apps = apps;
  }

  /** Every registered worker with the registry topics its topology reads. */
  public static WorkerInputs discover() {
    Map<String, Set<String>> byWorker = new LinkedHashMap<>();
    Map<String, WorkerApp> apps = new LinkedHashMap<>();
    for (WorkerApp app : Components.workers(name -> true)) {
      apps.put(app.name(), app);
      WorkerContext context = WorkerContext.forTest(app.name(), app.settings(), Map.of());
      Set<String> topics = new TreeSet<>();
      for (TopologyDescription.Subtopology sub : app.buildTopology(context).describe().subtopologies()) {
        for (TopologyDescription.Node node : sub.nodes()) {
          if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
            source.topicSet().stream().filter(t -> Topics.byName(t).isPresent()).forEach(topics::add);
          }
        }
      }
      byWorker.put(app.name(), topics);
    }
    return new WorkerInputs(byWorker, apps);
  }

  public List<String> workers() {
    return new ArrayList<>(topicsByWorker.keySet());
  }

  /** The registry topics one worker reads. */
  public Set<String> inputsOf(String worker) {
    return topicsByWorker.getOrDefault(worker, Set.of());
  }

  /** The workers that read a topic. */
  public List<String> consumersOf(String topic) {
    return topicsByWorker.entrySet().stream().filter(e -> e.getValue().contains(topic)).map(Map.Entry::getKey).toList();
  }

  /** The workers that read a topic and decide on records of {@code type} there (the others skip them unread). */
  public List<String> decidersOf(String topic, Class<? extends SpecificRecord> type) {
    return consumersOf(topic).stream().filter(w -> apps.get(w).decides(type)).toList();
  }

  /** Every registry topic some worker reads. */
  public Set<String> allInputs() {
    Set<String> all = new TreeSet<>();
    topicsByWorker.values().forEach(all::addAll);
    return all;
  }

  @Override
  public String toString() {
    return topicsByWorker.toString();
  }
}
