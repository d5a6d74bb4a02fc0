package io.authlifecycle.core.audit;

import io.authlifecycle.avro.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The audit hash: SHA-256 over the previous hash (hex, UTF-8) followed by the canonical Avro
 * binary body of the record: encoded with the schema it was written with, its {@code hash} field
 * empty and its {@code details} map in key order (Avro readers rebuild maps in hash order).
 */
public final class AuditHasher {

  /** The previous hash of the first record in a chain. */
  public static final String GENESIS = "0".repeat(64);
  static final String HASH_FIELD = "hash";

  private AuditHasher() {}

  static final String DETAILS_FIELD = "details";

  /** Hash of a record of the current schema. */
  public static String hash(AuditEvent event) {
    AuditEvent unsigned = new AuditEvent();
    for (int i = 0; i < AuditEvent.getClassSchema().getFields().size(); i++) {
      unsigned.put(i, event.get(i));
    }
    unsigned.setHash("");
    unsigned.setDetails(sorted(event.getDetails()));
    return digest(event.getPrevHash(), encode(unsigned, AuditEvent.getClassSchema(),
        new SpecificDatumWriter<>(AuditEvent.getClassSchema(), SpecificData.getForClass(AuditEvent.class))));
  }

  /** Hash of a record decoded with its own writer schema (any released version). */
  public static String hash(GenericRecord event) {
    GenericData.Record unsigned = new GenericData.Record((GenericData.Record) event, false);
    unsigned.put(HASH_FIELD, "");
    if (event.getSchema().getField(DETAILS_FIELD) != null && event.get(DETAILS_FIELD) instanceof Map<?, ?> details) {
      unsigned.put(DETAILS_FIELD, sorted(details));
    }
    Schema schema = event.getSchema();
    return digest(String.valueOf(event.get("prevHash")), encode(unsigned, schema, new GenericDatumWriter<>(schema)));
  }

  private static <V> Map<String, V> sorted(Map<?, V> map) {
    Map<String, V> out = new TreeMap<>();
    if (map != null) {
      map.forEach((k, v) -> out.put(k.toString(), v));
    }
    return out;
  }

  private static <R> byte[] encode(R record, Schema schema, GenericDatumWriter<R> writer) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode audit record of " + schema.getFullName(), e);
    }
  }

  private static String digest(String prevHash, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
