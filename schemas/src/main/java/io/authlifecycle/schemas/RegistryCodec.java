package io.authlifecycle.schemas;

import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.rest.client.exception.NotFoundException;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Records in schema-registry framing through Apicurio's Avro serde: writers register (or look up)
 * their schema and prefix its id; readers resolve ids to schemas (cached) and read into the
 * generated classes, resolving the writer's version to the reader's.
 */
final class RegistryCodec {

  static {
    AvroTrust.ensure();
  }

  private final RegistryOptions options;
  private final AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
  private final AvroKafkaDeserializer<SpecificRecord> specific = new AvroKafkaDeserializer<>();
  private final AvroKafkaDeserializer<GenericRecord> generic = new AvroKafkaDeserializer<>();

  RegistryCodec(RegistryOptions options) {
    this.options = options;
    Map<String, Object> config = options.apicurioConfig();
    serializer.configure(config, false);
    specific.configure(config, false);
    Map<String, Object> genericConfig = new HashMap<>(config);
    genericConfig.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, false);
    generic.configure(genericConfig, false);
  }

  RegistryOptions options() {
    return options;
  }

  /** Frames a record: magic byte, the id of its schema in the registry, the Avro body. */
  byte[] encode(String topic, SpecificRecord record) {
    try {
      return serializer.serialize(topic, record);
    } catch (RuntimeException e) {
      if (notFound(e)) {
        throw new SerializationException(record.getSchema().getFullName() + " is not registered in the schema registry at "
            + options.url() + " and writers may not register it (serde.registry.auto-register=false)", e);
      }
      throw unavailable("register or look up the schema of " + record.getSchema().getFullName(), e);
    }
  }

  /** Reads a registry-framed record into its generated class. */
  SpecificRecord decode(byte[] bytes) {
    Schema writer = writerSchema(bytes);
    Object value;
    try {
      value = specific.deserialize(null, bytes);
    } catch (RuntimeException e) {
      throw new SerializationException("cannot decode " + writer.getFullName() + " (schema id "
          + WireFormat.registrySchemaId(bytes) + "): " + AvroSerde.describe(e), e);
    }
    if (value instanceof SpecificRecord record) {
      return record;
    }
    throw new SerializationException(writer.getFullName() + " (schema id " + WireFormat.registrySchemaId(bytes)
        + ") is not a record this build knows");
  }

  /** Reads a registry-framed record with the schema it was written with, whatever its type. */
  GenericRecord decodeGeneric(byte[] bytes) {
    Schema writer = writerSchema(bytes);
    try {
      return generic.deserialize(null, bytes);
    } catch (RuntimeException e) {
      throw new SerializationException("cannot decode " + writer.getFullName() + ": " + AvroSerde.describe(e), e);
    }
  }

  /** The schema a registry-framed record was written with, asked of the registry once and cached. */
  Schema writerSchema(byte[] bytes) {
    if (WireFormat.of(bytes).orElse(null) != WireFormat.REGISTRY) {
      throw new SerializationException("not in schema-registry framing (magic byte 0 and a 4-byte schema id)");
    }
    long id = WireFormat.registrySchemaId(bytes);
    try {
      return specific.getSchemaResolver()
          .resolveSchemaByArtifactReference(options.idKind() == RegistryOptions.IdKind.GLOBAL_ID
              ? ArtifactReference.builder().globalId(id).build() : ArtifactReference.builder().contentId(id).build())
          .getParsedSchema().getParsedSchema();
    } catch (RuntimeException e) {
      if (notFound(e)) {
        throw new SerializationException("schema id " + id + " is unknown to the schema registry at " + options.url(), e);
      }
      throw unavailable("resolve schema id " + id, e);
    }
  }

  private RegistryUnavailableException unavailable(String what, RuntimeException e) {
    return new RegistryUnavailableException("cannot " + what + " at the schema registry " + options.url() + ": "
        + AvroSerde.describe(rootCause(e)), e);
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NotFoundException) {
        return true;
      }
    }
    return false;
  }

  private static Exception rootCause(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof Exception root ? root : e;
  }
}
