package io.authlifecycle.core.streams;

import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Deterministic ids: the same causing event and purpose always give the same id, so appliers can de-duplicate. */
public final class Ids {

  private Ids() {}

  /** A name-based UUID over the parts, joined with a separator no id contains. */
  public static String derive(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The key an input is de-duplicated by: its topic (named by its class) and its event id, so a
   * writer of one topic cannot suppress another topic's event by reusing its id. Null for a
   * record without an event id. For a class several topics carry (the per-issuer command topics)
   * use {@link #inputKey(String, SpecificRecord)} with the topic it was read from.
   */
  public static String inputKey(SpecificRecord record) {
    return inputKey(Topics.carrying(record.getClass()).name(), record);
  }

  /** The de-duplication key of an input read from {@code topic}: the topic and the record's event id. */
  public static String inputKey(String topic, SpecificRecord record) {
    Schema.Field field = record.getSchema().getField("eventId");
    if (field == null || record.get(field.pos()) == null) {
      return null;
    }
    return topic + "/" + record.get(field.pos());
  }
}
