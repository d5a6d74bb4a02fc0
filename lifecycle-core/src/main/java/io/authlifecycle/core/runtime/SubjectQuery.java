package io.authlifecycle.core.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.schemas.AvroJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /subjects?id=S}: what one worker knows about a subject (its per-subject state and its
 * pending timers with due times), answered by the instance that owns the subject's partition; any
 * other instance forwards the question there. When no instance can answer (the owner is unreachable,
 * or the partition has no owner during a rebalance) the answer is an error naming why, never an empty state.
 */
public final class SubjectQuery implements WorkerApp.QueryRoute {

  /** The question cannot be answered now; the endpoint turns it into a 503 with the message. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String worker;
  private final KafkaStreams streams;
  private final String ownEndpoint;
  private final List<String> stateStores;
  private final List<String> timerIndexes;
  private final QueryAuth auth;

  /**
   * @param ownEndpoint the {@code host:port} this instance advertises as its {@code application.server}
   * @param stateStores the worker's per-subject stores keyed by subject id with Avro values; the
   *     first one decides which instance owns the subject
   */
  public SubjectQuery(String worker, KafkaStreams streams, String ownEndpoint, List<String> stateStores, QueryAuth auth) {
    this(worker, streams, ownEndpoint, stateStores, List.of(worker), auth);
  }

  /** @param timerIndexes the prefixes of the timer indexes to list pending timers from (each co-hosted worker's) */
  public SubjectQuery(String worker, KafkaStreams streams, String ownEndpoint, List<String> stateStores,
      List<String> timerIndexes, QueryAuth auth) {
    this.auth = auth;
    this.worker = worker;
    this.streams = streams;
    this.ownEndpoint = ownEndpoint;
    this.stateStores = stateStores;
    this.timerIndexes = timerIndexes;
  }

  @Override
  public String answer(Map<String, String> query) throws Exception {
    String subject = query.get("id");
    if (subject == null || subject.isBlank()) {
      return JSON.writeValueAsString(JSON.createObjectNode().put("error", "id is required"));
    }
    KeyQueryMetadata owner = streams.queryMetadataForKey(stateStores.get(0), subject, new StringSerializer());
    if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) || owner.activeHost().port() < 0) {
      throw new Unavailable(worker + ": no instance owns the partition of subject " + subject
          + " right now (the group is rebalancing, or this instance is not RUNNING yet); ask again shortly");
    }
    String host = owner.activeHost().host() + ":" + owner.activeHost().port();
    if (!host.equals(ownEndpoint)) {
      if (query.containsKey("local")) {
        throw new Unavailable(worker + " at " + ownEndpoint + " was asked for subject " + subject
            + " but partition " + owner.partition() + " has moved to " + host + "; ask again");
      }
      return forward(subject, host, owner.partition());
    }
    return local(subject, owner.partition());
  }

  private String forward(String subject, String host, int partition) throws Unavailable, InterruptedException {
    URI uri = URI.create("http://" + host + "/subjects?local=true&id=" + URLEncoder.encode(subject, StandardCharsets.UTF_8));
    HttpResponse<String> forwarded;
    try {
      // The owner requires the token as this instance did: the question is passed on with it.
      forwarded = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
          .header("Authorization", auth.authorization().orElse("")).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unavailable(worker + ": the instance owning subject " + subject + " (partition " + partition + ") at "
          + host + " cannot be reached: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    if (forwarded.statusCode() != 200) {
      throw new Unavailable(worker + ": the instance owning subject " + subject + " at " + host + " answered "
          + forwarded.statusCode() + ": " + forwarded.body());
    }
    return forwarded.body();
  }

  /** Answers from this instance's stores, from the subject's partition only. */
  private String local(String subject, int partition) throws IOException {
    ObjectNode answer = JSON.createObjectNode().put("worker", worker).put("subjectId", subject).put("servedBy", ownEndpoint)
        .put("partition", partition);
    ObjectNode state = answer.putObject("state");
    for (String store : stateStores) {
      ReadOnlyKeyValueStore<String, Object> kv = streams.store(StoreQueryParameters
          .fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore()).withPartition(partition));
      Object value = kv.get(subject);
      if (value instanceof SpecificRecord r) {
        state.set(store, JSON.readTree(AvroJson.write(r)));
      } else if (value == null) {
        state.putNull(store);
      } else {
        state.put(store, value.toString());
      }
    }
    ArrayNode timers = answer.putArray("pendingTimers");
    for (TimerEntry timer : pendingTimers(subject, partition)) {
      timers.add(JSON.readTree(AvroJson.write(timer)));
    }
    return JSON.writeValueAsString(answer);
  }

  private List<TimerEntry> pendingTimers(String subject, int partition) {
    List<TimerEntry> timers = new ArrayList<>();
    timerIndexes.forEach(index -> timers.addAll(pendingTimers(index, subject, partition)));
    return timers;
  }

  private List<TimerEntry> pendingTimers(String index, String subject, int partition) {
    ReadOnlyKeyValueStore<String, Long> byOwner;
    ReadOnlyKeyValueStore<String, TimerEntry> byDue;
    try {
      byOwner = streams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, Long>>fromNameAndType(
          TimerIndex.byOwnerName(index), QueryableStoreTypes.keyValueStore()).withPartition(partition));
      byDue = streams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, TimerEntry>>fromNameAndType(
          TimerIndex.byDueName(index), QueryableStoreTypes.keyValueStore()).withPartition(partition));
    } catch (RuntimeException e) {
      return List.of();  // a worker without timers
    }
    List<TimerEntry> timers = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = byOwner.prefixScan(subject + '\u0000', Serdes.String().serializer())) {
      while (it.hasNext()) {
        KeyValue<String, Long> next = it.next();
        String kind = next.key.substring(subject.length() + 1);
        TimerEntry entry = byDue.get(TimerIndex.dueKey(next.value, subject, kind));
        if (entry != null) {
          timers.add(entry);
        }
      }
    }
    return timers;
  }
}
