package io.authlifecycle.core.streams;

import io.authlifecycle.core.config.CoreSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The size limits every input is held to: the whole record before decoding (so a worker never
 * builds a megabyte of objects, nor a dead letter it cannot send), then each key, text and bytes
 * field after. A record over a limit is dead-lettered as TOO_LARGE.
 */
public final class InputLimits {

  private static final int REPORTED = 3;

  private final int maxRecordBytes;
  private final int maxFieldLength;

  public InputLimits(int maxRecordBytes, int maxFieldLength) {
    this.maxRecordBytes = maxRecordBytes;
    this.maxFieldLength = maxFieldLength;
  }

  public static InputLimits of(WorkerContext worker) {
    return new InputLimits(worker.get(CoreSettings.MAX_RECORD_BYTES), worker.get(CoreSettings.MAX_FIELD_LENGTH));
  }

  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  public int maxFieldLength() {
    return maxFieldLength;
  }

  /** What is too large about the raw record, or null when it is within the limits. */
  public String rawProblem(byte[] key, byte[] value) {
    int keyBytes = key == null ? 0 : key.length;
    int valueBytes = value == null ? 0 : value.length;
    if (keyBytes > maxFieldLength) {
      return "key has " + keyBytes + " bytes, more than the " + maxFieldLength + " allowed (" + CoreSettings.MAX_FIELD_LENGTH.key() + ")";
    }
    if (keyBytes + valueBytes > maxRecordBytes) {
      return "record has " + (keyBytes + valueBytes) + " bytes, more than the " + maxRecordBytes + " allowed ("
          + CoreSettings.MAX_RECORD_BYTES.key() + ")";
    }
    return null;
  }

  /** Every field of the decoded record (nested ones too) longer than the field limit; empty when none is. */
  public List<String> fieldProblems(IndexedRecord record) {
    List<String> problems = new ArrayList<>();
    walk(record, "", problems);
    if (problems.size() > REPORTED) {
      int more = problems.size() - REPORTED;
      problems.subList(REPORTED, problems.size()).clear();
      problems.add("and " + more + " more");
    }
    return problems;
  }

  private static String abbreviated(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private void walk(Object value, String path, List<String> problems) {
    if (value instanceof CharSequence s && s.length() > maxFieldLength) {
      problems.add(path + " has " + s.length() + " characters, more than the " + maxFieldLength + " allowed ("
          + CoreSettings.MAX_FIELD_LENGTH.key() + ")");
    } else if (value instanceof ByteBuffer b && b.remaining() > maxFieldLength) {
      problems.add(path + " has " + b.remaining() + " bytes, more than the " + maxFieldLength + " allowed");
    } else if (value instanceof IndexedRecord r) {
      for (Schema.Field f : r.getSchema().getFields()) {
        walk(r.get(f.pos()), path.isEmpty() ? f.name() : path + "." + f.name(), problems);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", problems);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        walk(k, path + " key", problems);
        walk(v, path + "[" + abbreviated(String.valueOf(k)) + "]", problems);
      });
    }
  }
}
