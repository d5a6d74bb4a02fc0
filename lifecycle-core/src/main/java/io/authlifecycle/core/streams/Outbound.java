package io.authlifecycle.core.streams;

import io.authlifecycle.core.topics.TopicSpec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A record on its way out, already encoded with its topic's serde. One sink per topology writes
 * every outbound record to the topic it names, inside the same transaction as the state change.
 */
public record Outbound(String topic, String key, byte[] value) {

  public static <V> Outbound of(TopicSpec<V> topic, String key, V value) {
    return new Outbound(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
  }

  static final TopicNameExtractor<String, Outbound> TOPIC = (key, value, context) -> value.topic();

  static final Serde<Outbound> SERDE = Serdes.serdeFrom(
      (topic, outbound) -> outbound == null ? null : outbound.value(),
      (Deserializer<Outbound>) (topic, bytes) -> {
        throw new UnsupportedOperationException("outbound records are write-only");
      });

  /** Writes a stream of outbound records to their topics, through one named sink. */
  public static void sink(KStream<String, Outbound> stream, String name) {
    stream.to(TOPIC, Produced.with(Serdes.String(), SERDE).withName(name));
  }
}
