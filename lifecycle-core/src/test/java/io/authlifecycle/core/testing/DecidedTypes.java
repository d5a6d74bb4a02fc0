package io.authlifecycle.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.topics.TopicSpec;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Checks that the record types a processor skips unread (on the single-object header alone) are
 * exactly those its decisions ignore, for every type its input topics carry; so a decision that
 * starts to care about a type fails here rather than never seeing it.
 */
public final class DecidedTypes {

  private DecidedTypes() {}

  public static void assertSkipsExactlyWhatTheDecisionsIgnore(List<TopicSpec<?>> inputs,
      Set<Class<? extends SpecificRecord>> decided, Predicate<Object> decisionsConcern) {
    for (TopicSpec<?> topic : inputs) {
      for (Class<? extends SpecificRecord> type : topic.recordTypes()) {
        assertThat(decided.contains(type)).as("%s on %s", type.getSimpleName(), topic.name())
            .isEqualTo(decisionsConcern.test(probe(type)));
      }
    }
  }

  /** An instance of {@code type} with only its event id set: what a type-only check may look at. */
  static SpecificRecord probe(Class<? extends SpecificRecord> type) {
    SpecificRecordBase record = (SpecificRecordBase) SpecificData.get().newRecord(null, SpecificData.get().getSchema(type));
    if (record.getSchema().getField("eventId") != null) {
      record.put("eventId", "probe-event");
    }
    return record;
  }
}
