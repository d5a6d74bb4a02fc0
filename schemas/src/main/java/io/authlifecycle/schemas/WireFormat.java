package io.authlifecycle.schemas;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a record value is framed on a topic. The first byte tells the two apart, so a reader takes
 * both while a deployment migrates from one to the other.
 */
public enum WireFormat {

  /** Avro single-object encoding: {@code C3 01}, the writer schema's 64-bit fingerprint, the body. */
  SINGLE_OBJECT("single-object"),
  /** Schema-registry framing (Confluent-compatible): magic byte {@code 0}, a 4-byte schema id, the body. */
  REGISTRY("registry");

  /** The magic byte that opens a registry-framed record. */
  public static final byte REGISTRY_MAGIC = 0;
  /** Magic byte and the big-endian 4-byte schema id. */
  public static final int REGISTRY_HEADER_LENGTH = 5;

  private final String settingValue;

  WireFormat(String settingValue) {
    this.settingValue = settingValue;
  }

  /** The name used in settings and on the command line: {@code single-object} or {@code registry}. */
  public String settingValue() {
    return settingValue;
  }

  /** The format named by a setting value; refuses anything else, listing what is accepted. */
  public static WireFormat parse(String value) {
    String wanted = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.settingValue.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("expected single-object or registry, not '" + value + "'"));
  }

  /** The format of a serialized value, or empty if it carries neither header. */
  public static Optional<WireFormat> of(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    if (bytes.length >= SchemaCatalog.HEADER_LENGTH
        && bytes[0] == SchemaCatalog.MARKER[0] && bytes[1] == SchemaCatalog.MARKER[1]) {
      return Optional.of(SINGLE_OBJECT);
    }
    if (bytes.length >= REGISTRY_HEADER_LENGTH && bytes[0] == REGISTRY_MAGIC) {
      return Optional.of(REGISTRY);
    }
    return Optional.empty();
  }

  /** The schema id of a registry-framed value (big-endian, after the magic byte). */
  public static int registrySchemaId(byte[] bytes) {
    return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
  }
}
