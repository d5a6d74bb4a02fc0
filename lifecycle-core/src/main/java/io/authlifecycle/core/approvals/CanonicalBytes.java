package io.authlifecycle.core.approvals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * The encoding every signed statement uses, so no two statements share bytes: a text is a 4-byte
 * big-endian length and its UTF-8 bytes; an optional text is one byte 0 (absent) or 1 followed by
 * the text; a time is 8-byte big-endian epoch milliseconds; a list is a 4-byte big-endian count
 * followed by its items. Every statement starts with its domain tag as a text.
 */
public final class CanonicalBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  private CanonicalBytes(String domain) {
    text(domain);
  }

  /** Starts a statement with its domain tag, which keeps a signature for one kind of statement from serving another. */
  public static CanonicalBytes of(String domain) {
    return new CanonicalBytes(domain);
  }

  public CanonicalBytes text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    count(utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  public CanonicalBytes optionalText(String value) {
    if (value == null) {
      out.write(0);
      return this;
    }
    out.write(1);
    return text(value);
  }

  public CanonicalBytes time(Instant value) {
    out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value.toEpochMilli()).array());
    return this;
  }

  public CanonicalBytes count(int n) {
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(n).array());
    return this;
  }

  public CanonicalBytes texts(List<String> values) {
    count(values.size());
    values.forEach(this::text);
    return this;
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  /** SHA-256 of canonical bytes: a WebAuthn assertion's challenge is its base64url form. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
