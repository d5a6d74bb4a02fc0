package io.authlifecycle.schemas;

import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of a topic: writes in the process's {@link Wire} format (single-object by
 * default, schema-registry framing when configured) and reads both, so one static serde serves
 * every deployment. State stores keep {@link AvroSerde} (single-object, no registry round trip).
 */
public final class TopicSerde<T extends SpecificRecord> implements Serde<T> {

  private final List<Class<? extends SpecificRecord>> types;
  private final Function<T, byte[]> singleObject;
  private final Function<byte[], T> reader;

  private TopicSerde(List<Class<? extends SpecificRecord>> types, Function<T, byte[]> singleObject, Function<byte[], T> reader) {
    this.types = List.copyOf(types);
    this.singleObject = singleObject;
    this.reader = reader;
  }

  /** A topic carrying one record type. */
  public static <T extends SpecificRecord> TopicSerde<T> of(Class<T> type) {
    AvroSerde<T> serde = AvroSerde.of(type);
    return new TopicSerde<>(List.of(type), serde::encode, serde::decode);
  }

  /** A topic carrying several record types (the authenticator facts). */
  public static TopicSerde<SpecificRecord> of(MultiRecordSerde serde) {
    return new TopicSerde<>(List.copyOf(serde.recordTypes()), serde::encode, serde::decode);
  }

  /** Encodes in the configured format; a type the topic does not carry is refused in either. */
  public byte[] encode(String topic, T record) {
    if (!types.contains(record.getClass())) {
      throw new SerializationException(record.getClass().getSimpleName() + " is not allowed on " + topic + "; allowed: "
          + types.stream().map(Class::getSimpleName).toList());
    }
    return Wire.encode(topic, record, singleObject);
  }

  /** Decodes either framing. */
  public T decode(byte[] bytes) {
    return reader.apply(bytes);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, data) -> data == null ? null : encode(topic, data);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> data == null ? null : decode(data);
  }
}
