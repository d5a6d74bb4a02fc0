package io.authlifecycle.core.runtime;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/** One worker as the runner sees it: a name, its own settings, and its topology. */
public interface WorkerApp {

  /** The worker's name, e.g. {@code leaver-worker}; also the suffix of its application id. */
  String name();

  /** Settings of this worker beyond the core and policy ones. */
  List<Setting<?>> settings();

  /** Builds the topology; tests call the same method. */
  Topology buildTopology(WorkerContext context);

  /**
   * The worker's per-subject state stores (keyed by subject id, Avro values) that
   * {@code GET /subjects?id=S} shows beside the subject's pending timers; empty for none.
   */
  default List<String> subjectStores() {
    return List.of();
  }

  /** The workers whose timer indexes {@code GET /subjects} lists pending timers from: this one, or each co-hosted one. */
  default List<String> timerIndexes() {
    return List.of(name());
  }

  /**
   * Whether the worker decides on records of this type; records of other types on its inputs are
   * skipped unread (on their single-object header), so it never dead-letters them either.
   */
  default boolean decides(Class<? extends SpecificRecord> type) {
    return true;
  }

  /** Extra read-only HTTP routes (interactive queries), path → handler, served beside /health. */
  default Map<String, QueryRoute> queryRoutes(WorkerContext context, KafkaStreams streams) {
    return Map.of();
  }

  /** Answers one GET with a JSON body, or null for 404. */
  @FunctionalInterface
  interface QueryRoute {
    String answer(Map<String, String> query) throws Exception;
  }
}
