package io.authlifecycle.core.runtime;

import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.schemas.AvroJson;
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
 * other instance forwards the question there.
 */
public final class SubjectQuery implements WorkerApp.QueryRoute {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private final String worker;
  private final KafkaStreams streams;
  private final String ownEndpoint;
  private final List<String> stateStores;
  private final QueryAuth auth;

  /**
   * @param stateStores the worker's per-subject stores keyed by subject id with Avro values; the
   *     first one decides which instance owns the subject
   */
  public SubjectQuery(String worker, KafkaStreams streams, String ownEndpoint, List<String> stateStores, QueryAuth auth) {
    this.auth = auth;
    this.worker = worker;
    this.streams = streams;
    this.ownEndpoint = ownEndpoint;
    this.stateStores = stateStores;
  }

  @Override
  public String answer(Map<String, String> query) throws Exception {
    String subject = query.get("id");
    if (subject == null || subject.isBlank()) {
      return "{\"error\":\"id is required\"}";
    }
    KeyQueryMetadata owner = streams.queryMetadataForKey(stateStores.get(0), subject, new StringSerializer());
    String host = owner.activeHost().host() + ":" + owner.activeHost().port();
    if (!query.containsKey("local") && !host.equals(ownEndpoint) && owner.activeHost().port() > 0) {
      HttpResponse<String> forwarded = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + "/subjects?local=true&id="
          + URLEncoder.encode(subject, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5))
          .header("Authorization", auth.authorization().orElse("")).build(),
          HttpResponse.BodyHandlers.ofString());
      return forwarded.body();
    }
    StringBuilder json = new StringBuilder("{\"worker\":\"").append(worker).append("\",\"subjectId\":")
        .append(quote(subject)).append(",\"servedBy\":").append(quote(ownEndpoint)).append(",\"state\":{");
    boolean first = true;
    for (String store : stateStores) {
      ReadOnlyKeyValueStore<String, Object> kv = streams.store(
          StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore()));
      Object value = kv.get(subject);
      json.append(first ? "" : ",").append(quote(store)).append(':')
          .append(value instanceof SpecificRecord r ? AvroJson.write(r) : value == null ? "null" : quote(value.toString()));
      first = false;
    }
    json.append("},\"pendingTimers\":[");
    List<TimerEntry> timers = pendingTimers(subject);
    for (int i = 0; i < timers.size(); i++) {
      json.append(i == 0 ? "" : ",").append(AvroJson.write(timers.get(i)));
    }
    return json.append("]}").toString();
  }

  private List<TimerEntry> pendingTimers(String subject) {
    List<TimerEntry> timers = new ArrayList<>();
    ReadOnlyKeyValueStore<String, Long> byOwner;
    ReadOnlyKeyValueStore<String, TimerEntry> byDue;
    try {
      byOwner = streams.store(StoreQueryParameters.fromNameAndType(TimerIndex.byOwnerName(worker), QueryableStoreTypes.keyValueStore()));
      byDue = streams.store(StoreQueryParameters.fromNameAndType(TimerIndex.byDueName(worker), QueryableStoreTypes.keyValueStore()));
    } catch (RuntimeException e) {
      return timers;
    }
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

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
