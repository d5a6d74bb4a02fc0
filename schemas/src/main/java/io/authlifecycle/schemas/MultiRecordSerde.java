package io.authlifecycle.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for a topic that carries several record types (the authenticator facts): the
 * single-object header (or the registry's schema for the id in a registry-framed record) names
 * the writer schema, whose full name picks the reader class.
 */
public final class MultiRecordSerde implements Serde<SpecificRecord> {

  private final SchemaCatalog catalog;
  private final Map<String, AvroSerde<? extends SpecificRecord>> byName = new LinkedHashMap<>();
  private final Map<Class<?>, AvroSerde<? extends SpecificRecord>> byClass = new LinkedHashMap<>();

  public MultiRecordSerde(SchemaCatalog catalog, List<Class<? extends SpecificRecord>> types) {
    this.catalog = catalog;
    for (Class<? extends SpecificRecord> type : types) {
      AvroSerde<? extends SpecificRecord> serde = AvroSerde.of(type, catalog);
      byName.put(serde.schema().getFullName(), serde);
      byClass.put(type, serde);
    }
  }

  public Set<Class<?>> types() {
    return byClass.keySet();
  }

  /** The record types this topic carries, in declaration order. */
  public List<Class<? extends SpecificRecord>> recordTypes() {
    return byClass.values().stream().<Class<? extends SpecificRecord>>map(AvroSerde::type).toList();
  }

  @SuppressWarnings("unchecked")
  public byte[] encode(SpecificRecord record) {
    AvroSerde<SpecificRecord> serde = (AvroSerde<SpecificRecord>) byClass.get(record.getClass());
    if (serde == null) {
      throw new SerializationException(record.getClass().getSimpleName() + " is not allowed on this topic; allowed: " + byName.keySet());
    }
    return serde.encode(record);
  }

  /**
   * The record type the single-object header of {@code bytes} names, without decoding the body;
   * empty when the header is missing, its fingerprint unknown, or its type not carried here.
   */
  public Optional<Class<? extends SpecificRecord>> writerType(byte[] bytes) {
    Optional<Long> fingerprint = SchemaCatalog.headerFingerprint(bytes);
    if (fingerprint.isEmpty()) {
      return Optional.empty();
    }
    Schema writer = catalog.findByFingerprint(fingerprint.get());
    AvroSerde<? extends SpecificRecord> serde = writer == null ? null : byName.get(writer.getFullName());
    return serde == null ? Optional.empty() : Optional.of(serde.type());
  }

  /** Decodes either framing; the registry form through the process's {@link Wire} registry. */
  public SpecificRecord decode(byte[] bytes) {
    if (WireFormat.of(bytes).orElse(null) == WireFormat.REGISTRY) {
      SpecificRecord record = Wire.reader(bytes).decode(bytes);
      if (!byClass.containsKey(record.getClass())) {
        throw new SerializationException(record.getSchema().getFullName() + " is not allowed on this topic; allowed: " + byName.keySet());
      }
      return record;
    }
    long fingerprint = SchemaCatalog.headerFingerprint(bytes)
        .orElseThrow(() -> new SerializationException("not Avro single-object encoding (bad or missing header)"));
    Schema writer = catalog.findByFingerprint(fingerprint);
    if (writer == null) {
      throw new SerializationException(String.format("unknown schema fingerprint %016x", fingerprint));
    }
    AvroSerde<? extends SpecificRecord> serde = byName.get(writer.getFullName());
    if (serde == null) {
      throw new SerializationException(writer.getFullName() + " is not allowed on this topic; allowed: " + byName.keySet());
    }
    return serde.decode(bytes);
  }

  @Override
  public Serializer<SpecificRecord> serializer() {
    return (topic, data) -> data == null ? null : encode(data);
  }

  @Override
  public Deserializer<SpecificRecord> deserializer() {
    return (topic, data) -> data == null ? null : decode(data);
  }
}
