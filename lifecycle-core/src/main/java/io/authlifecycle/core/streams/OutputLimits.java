package io.authlifecycle.core.streams;

import io.authlifecycle.core.deadletter.DeadLetters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Holds what a worker writes to the limits its readers apply to their inputs, so no output is
 * dead-lettered by the next component and none fails a transaction for being too large: a text
 * field longer than the field limit is cut to its first characters plus the original's length and
 * hash, and a record still over the size limit has its longest fields cut shorter, then its
 * longest lists, until it fits. Almost every record is far below both limits and passes untouched
 * after one cheap walk.
 */
public final class OutputLimits {

  /** Below this, a field is never cut further: the note with the hash alone takes about 100 characters. */
  private static final int SHORTEST_CUT = 256;

  private final int maxRecordBytes;
  private final int maxFieldLength;

  public OutputLimits(int maxRecordBytes, int maxFieldLength) {
    this.maxRecordBytes = maxRecordBytes;
    this.maxFieldLength = maxFieldLength;
  }

  public static OutputLimits of(InputLimits limits) {
    return new OutputLimits(limits.maxRecordBytes(), limits.maxFieldLength());
  }

  /** The record itself when it is within the limits, else a cut-down copy. */
  public <R extends SpecificRecord> R fit(R record) {
    if (within(record)) {
      return record;
    }
    R copy = SpecificData.getForClass(record.getClass()).deepCopy(record.getSchema(), record);
    int fieldLimit = maxFieldLength;
    cutStrings(copy, fieldLimit);
    while (encodedSize(copy) > maxRecordBytes && fieldLimit > SHORTEST_CUT) {
      fieldLimit = Math.max(SHORTEST_CUT, fieldLimit / 2);
      cutStrings(copy, fieldLimit);
    }
    int keep = Integer.MAX_VALUE;
    while (encodedSize(copy) > maxRecordBytes && keep > 1) {
      keep = Math.min(keep, longestList(copy)) / 2;
      cutLists(copy, Math.max(1, keep));
    }
    return copy;
  }

  /** Whether a record certainly fits: a bound on its encoded size (UTF-8 at most 3 bytes a char) and every field's length. */
  boolean within(Object record) {
    long[] bound = {0};
    return within(record, bound) && bound[0] <= maxRecordBytes;
  }

  private boolean within(Object value, long[] bound) {
    if (value instanceof CharSequence s) {
      bound[0] += 3L * s.length() + 5;
      return s.length() <= maxFieldLength;
    } else if (value instanceof ByteBuffer b) {
      bound[0] += b.remaining() + 5L;
      return b.remaining() <= maxFieldLength;
    } else if (value instanceof IndexedRecord r) {
      for (int i = 0; i < r.getSchema().getFields().size(); i++) {
        if (!within(r.get(i), bound)) {
          return false;
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object element : list) {
        if (!within(element, bound)) {
          return false;
        }
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!within(e.getKey(), bound) || !within(e.getValue(), bound)) {
          return false;
        }
      }
    }
    bound[0] += 10;
    return true;
  }

  /** Cuts every text and bytes field of the record, nested ones too, to {@code limit}. */
  private static void cutStrings(IndexedRecord record, int limit) {
    for (Schema.Field f : record.getSchema().getFields()) {
      record.put(f.pos(), cutValue(record.get(f.pos()), limit));
    }
  }

  private static Object cutValue(Object value, int limit) {
    if (value instanceof CharSequence s) {
      return DeadLetters.cut(s.toString(), limit);
    } else if (value instanceof ByteBuffer b && b.remaining() > limit) {
      ByteBuffer copy = b.duplicate();
      copy.limit(copy.position() + limit);
      return copy.slice();
    } else if (value instanceof IndexedRecord r) {
      cutStrings(r, limit);
    } else if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(e -> out.add(cutValue(e, limit)));
      return out;
    } else if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(cutValue(k, limit), cutValue(v, limit)));
      return out;
    }
    return value;
  }

  private static int longestList(IndexedRecord record) {
    int longest = 0;
    for (Schema.Field f : record.getSchema().getFields()) {
      Object v = record.get(f.pos());
      if (v instanceof List<?> l) {
        longest = Math.max(longest, l.size());
      } else if (v instanceof Map<?, ?> m) {
        longest = Math.max(longest, m.size());
      }
    }
    return longest;
  }

  /** Keeps the first {@code keep} elements of each top-level list and map. */
  private static void cutLists(IndexedRecord record, int keep) {
    for (Schema.Field f : record.getSchema().getFields()) {
      Object v = record.get(f.pos());
      if (v instanceof List<?> l && l.size() > keep) {
        record.put(f.pos(), new ArrayList<>(l.subList(0, keep)));
      } else if (v instanceof Map<?, ?> m && m.size() > keep) {
        Map<Object, Object> kept = new LinkedHashMap<>();
        m.entrySet().stream().limit(keep).forEach(e -> kept.put(e.getKey(), e.getValue()));
        record.put(f.pos(), kept);
      }
    }
  }

  private static int encodedSize(SpecificRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForClass(record.getClass()))
          .write(record, encoder);
      encoder.flush();
      return out.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
