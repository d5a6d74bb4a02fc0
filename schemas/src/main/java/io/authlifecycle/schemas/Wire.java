package io.authlifecycle.schemas;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire format of this process: what the topic serdes write, and the schema registry readers
 * ask when a record arrives in registry framing. A component sets it once at start from its
 * settings; the topic registry's serdes consult it on every record, so topologies stay as they are.
 */
public final class Wire {

  private static final Logger LOG = LoggerFactory.getLogger(Wire.class);

  private record State(WireFormat format, Optional<RegistryOptions> registry, RegistryCodec codec) {}

  private static volatile State state = new State(WireFormat.SINGLE_OBJECT, Optional.empty(), null);

  private Wire() {}

  /**
   * Writers use {@code format}; readers take both forms, the registry form through {@code registry}.
   * The registry format needs a registry. Setting the same registry again keeps its schema cache.
   */
  public static synchronized void configure(WireFormat format, Optional<RegistryOptions> registry) {
    Objects.requireNonNull(format, "format");
    if (format == WireFormat.REGISTRY && registry.isEmpty()) {
      throw new IllegalArgumentException("the registry wire format needs a schema registry URL");
    }
    State current = state;
    if (current.format() == format && current.registry().equals(registry)) {
      return;
    }
    RegistryCodec codec = registry.equals(current.registry()) ? current.codec()
        : registry.map(RegistryCodec::new).orElse(null);
    state = new State(format, registry, codec);
    LOG.info("wire format {}: writers use {}, readers take single-object{}", format.settingValue(), format.settingValue(),
        registry.map(r -> " and registry framing through " + r).orElse(" only"));
  }

  /** Back to the default: single-object encoding, no registry. */
  public static void reset() {
    configure(WireFormat.SINGLE_OBJECT, Optional.empty());
  }

  /** What writers write. */
  public static WireFormat format() {
    return state.format();
  }

  /** The registry readers (and, in registry format, writers) use, if one is configured. */
  public static Optional<RegistryOptions> registry() {
    return state.registry();
  }

  /** Encodes a topic record in the configured format; {@code singleObject} is the single-object encoder. */
  static <T extends SpecificRecord> byte[] encode(String topic, T record, Function<T, byte[]> singleObject) {
    State s = state;
    return s.format() == WireFormat.REGISTRY ? s.codec().encode(topic, record) : singleObject.apply(record);
  }

  /** The registry codec a registry-framed record is read with; refused clearly where none is configured. */
  static RegistryCodec reader(byte[] bytes) {
    RegistryCodec codec = state.codec();
    if (codec == null) {
      throw new SerializationException("a record in schema-registry framing (schema id " + WireFormat.registrySchemaId(bytes)
          + "), but no schema registry is configured: set serde.registry.url");
    }
    return codec;
  }

  /**
   * Decodes a record of any contract, in either framing, with the schema it was written with
   * (single-object writers are looked up in {@code catalog}); for code that must see the exact
   * writer's record, such as the audit chain check.
   */
  public static GenericRecord decodeWithWriterSchema(byte[] bytes, SchemaCatalog catalog) {
    WireFormat format = WireFormat.of(bytes)
        .orElseThrow(() -> new SerializationException("neither single-object encoding nor schema-registry framing"));
    if (format == WireFormat.REGISTRY) {
      return reader(bytes).decodeGeneric(bytes);
    }
    Schema writer = catalog.writerSchema(bytes)
        .orElseThrow(() -> new SerializationException("no known schema in the single-object header"));
    try {
      return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), writer, catalog).decode(bytes);
    } catch (java.io.IOException | RuntimeException e) {
      throw new SerializationException("cannot decode " + writer.getFullName() + ": " + AvroSerde.describe(e), e);
    }
  }
}
