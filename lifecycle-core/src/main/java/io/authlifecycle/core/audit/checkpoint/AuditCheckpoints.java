package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.core.approvals.Ed25519;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * How a checkpoint is sealed and checked. Its hash is SHA-256 over its Avro binary body, encoded
 * with the schema it was written with and with {@code hash} and {@code signature} empty; the
 * signature is Ed25519 over a domain-separated statement of that hash, so no other signed message
 * of the product (an approval) can pass for a checkpoint.
 */
public final class AuditCheckpoints {

  /** The previous hash of a scope's first checkpoint. */
  public static final String GENESIS = "0".repeat(64);
  static final String DOMAIN = "authn-lifecycle/audit-checkpoint/v1\n";

  private AuditCheckpoints() {}

  /** The bytes the signer signs: the domain, then the checkpoint's hash in hex. */
  public static byte[] statement(String hash) {
    return (DOMAIN + hash).getBytes(StandardCharsets.UTF_8);
  }

  /** First 16 hex digits of the SHA-256 of the public key's X.509 encoding. */
  public static String keyId(PublicKey key) {
    return sha256(key.getEncoded()).substring(0, 16);
  }

  /** Fills the hash and the signature of a checkpoint whose other fields are set. */
  public static AuditCheckpoint seal(AuditCheckpoint.Builder draft, PrivateKey key) {
    AuditCheckpoint checkpoint = draft.setHash("").setSignature(ByteBuffer.allocate(0)).build();
    String hash = sha256(encode(checkpoint, AuditCheckpoint.getClassSchema(),
        new SpecificDatumWriter<>(AuditCheckpoint.getClassSchema(), SpecificData.getForClass(AuditCheckpoint.class))));
    checkpoint.setHash(hash);
    checkpoint.setSignature(ByteBuffer.wrap(Ed25519.sign(key, statement(hash))));
    return checkpoint;
  }

  /** The hash of a checkpoint read with its own writer schema (any released version). */
  public static String hash(GenericRecord checkpoint) {
    GenericData.Record unsigned = new GenericData.Record((GenericData.Record) checkpoint, false);
    unsigned.put("hash", "");
    unsigned.put("signature", ByteBuffer.allocate(0));
    Schema schema = checkpoint.getSchema();
    return sha256(encode(unsigned, schema, new GenericDatumWriter<>(schema)));
  }

  private static <R> byte[] encode(R record, Schema schema, GenericDatumWriter<R> writer) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a checkpoint of " + schema.getFullName(), e);
    }
  }

  /** Whether the checkpoint's stored hash recomputes and its signature verifies with {@code key}. */
  public static boolean verifies(GenericRecord checkpoint, PublicKey key) {
    String hash = String.valueOf(checkpoint.get("hash"));
    if (!hash.equals(hash(checkpoint))) {
      return false;
    }
    ByteBuffer signature = ((ByteBuffer) checkpoint.get("signature")).duplicate();
    byte[] bytes = new byte[signature.remaining()];
    signature.get(bytes);
    return Ed25519.verify(key, statement(hash), bytes);
  }

  /** The Kafka key of a scope's checkpoints: all of them land in one partition, in order. */
  public static String kafkaKey(String writer, String scope) {
    return writer + "/" + scope;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
