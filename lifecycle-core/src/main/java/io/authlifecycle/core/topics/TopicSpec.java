package io.authlifecycle.core.topics;

import io.authlifecycle.avro.DeadLetter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic as every topology, the CLI and the local stack see it: name, key and value serdes, the
 * record types it may carry, what its key is, its default partition count, its dead-letter topic and
 * the topic configs it must be created with (e.g. {@code cleanup.policy=compact} for a state topic).
 */
public record TopicSpec<V>(
    String name,
    Serde<V> valueSerde,
    List<Class<? extends SpecificRecord>> recordTypes,
    KeyKind keyKind,
    int partitions,
    Optional<TopicSpec<DeadLetter>> deadLetters,
    Map<String, String> configs) {

  /** A topic with the broker's default topic configs. */
  public TopicSpec(String name, Serde<V> valueSerde, List<Class<? extends SpecificRecord>> recordTypes, KeyKind keyKind,
      int partitions, Optional<TopicSpec<DeadLetter>> deadLetters) {
    this(name, valueSerde, recordTypes, keyKind, partitions, deadLetters, Map.of());
  }

  /**
   * What the UTF-8 string key of a topic holds; STATE: a component's own state key (kind and id);
   * WRITER_SCOPE: an audit writer's scope ({@code writer/scope}).
   */
  public enum KeyKind { SUBJECT_ID, DEVICE_ID, STATE, WRITER_SCOPE }

  public Serde<String> keySerde() {
    return Serdes.String();
  }

  /** The dead-letter topic, for topics a worker or the gateway consumes. */
  public TopicSpec<DeadLetter> deadLetterTopic() {
    return deadLetters.orElseThrow(() -> new IllegalStateException(name + " has no dead-letter topic"));
  }

  /** Whether a decoded record is one this topic may carry. */
  public boolean carries(Class<?> type) {
    return recordTypes.contains(type);
  }

  @Override
  public String toString() {
    return name;
  }
}
