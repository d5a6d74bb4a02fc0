package io.authlifecycle.core.streams;

import io.authlifecycle.core.topics.TopicSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Several workers built into one Streams application: one builder, and one source per topic that
 * every worker reading the topic hangs its decisions from, so a record is fetched once for all of
 * them and their outputs commit in one transaction. Each worker keeps its own processors, stores and
 * sinks, named after it as when it runs alone.
 */
public final class TopologyHost {

  private final StreamsBuilder builder = new StreamsBuilder();
  private final Map<String, KStream<String, byte[]>> sources = new HashMap<>();

  public StreamsBuilder builder() {
    return builder;
  }

  /** The raw records of one topic, through a source named {@code <topic>-source} shared by its readers. */
  KStream<String, byte[]> source(TopicSpec<?> topic) {
    return sources.computeIfAbsent(topic.name(), name -> builder.stream(name,
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-source")));
  }
}
