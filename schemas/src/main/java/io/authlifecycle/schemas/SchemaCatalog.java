package io.authlifecycle.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema a reader may meet: the current generated classes and every released version kept
 * under {@code released/} on the classpath, looked up by the 64-bit fingerprint of the
 * single-object encoding header.
 */
public final class SchemaCatalog implements SchemaStore {

  /** Single-object encoding marker bytes (Avro spec: 0xC3 0x01). */
  public static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};
  public static final int HEADER_LENGTH = 10;
  static final String RELEASED_INDEX = "released/index.txt";

  static {
    AvroTrust.ensure();
  }

  private static final SchemaCatalog DEFAULT = loadReleased(SchemaCatalog.class.getClassLoader());

  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();
  private final Map<String, List<ReleasedSchema>> released;

  private SchemaCatalog(Map<String, List<ReleasedSchema>> released) {
    this.released = released;
    released.values().forEach(versions -> versions.forEach(v -> register(v.schema())));
  }

  /** The catalog of this build: released versions from the classpath, current schemas as serdes register them. */
  public static SchemaCatalog get() {
    return DEFAULT;
  }

  /** A catalog holding only the given released versions; for tests and tools that read another release set. */
  public static SchemaCatalog of(Map<String, List<ReleasedSchema>> released) {
    return new SchemaCatalog(released);
  }

  /** Makes a writer schema resolvable by its fingerprint. */
  public SchemaCatalog register(Schema schema) {
    byFingerprint.putIfAbsent(fingerprint(schema), schema);
    return this;
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** The writer schema named in a single-object-encoded payload's header, if the catalog knows it. */
  public Optional<Schema> writerSchema(byte[] payload) {
    return headerFingerprint(payload).map(this::findByFingerprint);
  }

  /** Released versions by full record name, oldest first. */
  public Map<String, List<ReleasedSchema>> released() {
    return Collections.unmodifiableMap(released);
  }

  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The fingerprint in a single-object encoding header, or empty if the bytes do not carry one. */
  public static Optional<Long> headerFingerprint(byte[] payload) {
    if (payload == null || payload.length < HEADER_LENGTH
        || payload[0] != MARKER[0] || payload[1] != MARKER[1]) {
      return Optional.empty();
    }
    return Optional.of(ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  /** One released version of a record schema. */
  public record ReleasedSchema(String fullName, int version, Schema schema) {}

  private static SchemaCatalog loadReleased(ClassLoader loader) {
    Map<String, List<ReleasedSchema>> released = new LinkedHashMap<>();
    try (InputStream index = loader.getResourceAsStream(RELEASED_INDEX)) {
      if (index == null) {
        return new SchemaCatalog(released);
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String path = line.strip();
        if (path.isEmpty() || path.startsWith("#")) {
          continue;
        }
        ReleasedSchema schema = readReleased(loader, path);
        released.computeIfAbsent(schema.fullName(), k -> new ArrayList<>()).add(schema);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RELEASED_INDEX, e);
    }
    released.values().forEach(v -> v.sort((a, b) -> Integer.compare(a.version(), b.version())));
    return new SchemaCatalog(released);
  }

  /** Reads {@code <fullName>/v<N>.avsc} under {@code released/}. */
  private static ReleasedSchema readReleased(ClassLoader loader, String path) throws IOException {
    try (InputStream in = loader.getResourceAsStream("released/" + path)) {
      if (in == null) {
        throw new IOException("released schema listed in the index is missing: " + path);
      }
      Schema schema = new Schema.Parser().parse(in);
      String file = path.substring(path.lastIndexOf('/') + 1);
      int version = Integer.parseInt(file.substring(1, file.indexOf('.')));
      return new ReleasedSchema(schema.getFullName(), version, schema);
    }
  }
}
