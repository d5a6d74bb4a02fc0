package io.authlifecycle.core.deadletter;

import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds dead letters that always fit: the original key and value are copied whole when they are
 * within the limits, else their first bytes are kept and the letter is marked truncated. The
 * original's sizes and SHA-256 hashes are always recorded, so a letter identifies its record even
 * when it cannot carry it. Plain Java: the workers and the gateway use the same builder.
 */
public final class DeadLetters {

  private final int maxValueBytes;
  private final int maxKeyBytes;

  /**
   * @param maxValueBytes most value bytes a letter copies (the input record limit)
   * @param maxKeyBytes most key bytes, and characters of the error text, a letter copies (the field limit)
   */
  public DeadLetters(int maxValueBytes, int maxKeyBytes) {
    this.maxValueBytes = maxValueBytes;
    this.maxKeyBytes = maxKeyBytes;
  }

  /** Where the bad record was read, as the letter names it. */
  public record Source(String topic, int partition, long offset, Instant recordTimestamp) {
    /** The letter's event id: {@code topic:partition:offset}. */
    public String eventId() {
      return topic + ":" + partition + ":" + offset;
    }
  }

  /** A letter for {@code key} / {@code value} (either may be null) read from {@code source}. */
  public DeadLetter letter(Source source, byte[] key, byte[] value, DeadLetterKind kind, String error, String worker, Instant now) {
    boolean truncated = (key != null && key.length > maxKeyBytes) || (value != null && value.length > maxValueBytes);
    return DeadLetter.newBuilder()
        .setEventId(source.eventId())
        .setEventTime(now)
        .setSourceTopic(source.topic())
        .setPartition(source.partition())
        .setOffset(source.offset())
        .setRecordTimestamp(source.recordTimestamp())
        .setKey(copy(key, maxKeyBytes))
        .setValue(copy(value, maxValueBytes))
        .setErrorKind(kind)
        .setError(cut(error, maxKeyBytes))
        .setWorker(worker)
        .setTruncated(truncated)
        .setKeySize(key == null ? null : (long) key.length)
        .setKeySha256(key == null ? null : sha256(key))
        .setValueSize(value == null ? null : (long) value.length)
        .setValueSha256(value == null ? null : sha256(value))
        .build();
  }

  /**
   * A key fit to name the letter's Kafka record and its audit chain: the key itself when within the
   * limit, else its first characters and the first 16 hex digits of its hash.
   */
  public String shortKey(String key) {
    if (key.length() <= maxKeyBytes) {
      return key;
    }
    String hash = sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return key.substring(0, Math.min(64, maxKeyBytes)) + "…#" + hash;
  }

  /** Text cut to {@code max} characters, ending with the original's length and hash when cut. */
  public static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    String note = "…[cut from " + text.length() + " characters, sha256 " + sha256(text.getBytes(StandardCharsets.UTF_8)) + "]";
    return text.substring(0, Math.max(0, max - note.length())) + note;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static ByteBuffer copy(byte[] bytes, int max) {
    return bytes == null ? null : ByteBuffer.wrap(bytes.length <= max ? bytes : Arrays.copyOf(bytes, max));
  }
}
