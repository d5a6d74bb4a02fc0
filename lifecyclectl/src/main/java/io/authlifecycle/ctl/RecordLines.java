package io.authlifecycle.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpoints;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.schemas.AvroJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The CLI's JSON-lines form of a topic's records, both ways, in one of two {@link Form}s.
 *
 * <ul>
 *   <li>A single-type topic: the record, plain ({@link PlainJson}) or in Avro's JSON encoding
 *       (unions as {@code {"string": "x"}}); fields that have a default may be left out.
 *   <li>A multi-type topic (the authenticator facts): {@code {"type": "AuthenticatorBound", "record": {...}}}.
 *   <li>A dead-letter topic: the {@code DeadLetter} in Avro JSON, except {@code key} and {@code value}
 *       (the original bytes), which are base64 strings or null.
 * </ul>
 */
public final class RecordLines {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Map<Schema, Map<String, JsonNode>> DEFAULTS = new ConcurrentHashMap<>();

  private RecordLines() {}

  /** How a line writes a record. */
  public enum Form {
    /** ISO-8601 times, plain values or null, enum names, bytes as base64: for people and scripts. */
    PLAIN,
    /** Avro's own JSON encoding: epoch-millisecond times, unions wrapped as {@code {"string": "x"}}. */
    AVRO_JSON
  }

  /** One line could not become a record of the topic; the message says why. */
  public static final class MalformedLine extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedLine(String message) {
      super(message);
    }
  }

  /** Parses one plain JSON line into a record the topic may carry. */
  public static SpecificRecord parse(TopicSpec<?> topic, String line) throws MalformedLine {
    return parse(topic, line, Form.PLAIN);
  }

  /** Parses one JSON line of the given form into a record the topic may carry. */
  public static SpecificRecord parse(TopicSpec<?> topic, String line, Form form) throws MalformedLine {
    if (!isAvro(topic)) {
      throw new MalformedLine(topic.name() + " carries no Avro contract");
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new MalformedLine("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new MalformedLine("expected one JSON object");
    }
    Class<? extends SpecificRecord> type;
    ObjectNode body;
    if (isMultiType(topic)) {
      type = wrappedType(topic, node);
      JsonNode record = node.get("record");
      if (record == null || !record.isObject()) {
        throw new MalformedLine("expected {\"type\": \"<record type>\", \"record\": {...}} on " + topic.name());
      }
      body = ((ObjectNode) record).deepCopy();
    } else {
      type = topic.recordTypes().get(0);
      body = ((ObjectNode) node).deepCopy();
    }
    Schema schema = SpecificData.get().getSchema(type);
    JsonNode avroJson;
    if (form == Form.PLAIN) {
      avroJson = PlainJson.toAvroJson(schema, body, "");
    } else {
      if (type == DeadLetter.class) {
        body = fromBase64Form(body);
      }
      completeWithDefaults(schema, body);
      avroJson = body;
    }
    try {
      return AvroJson.read(type, avroJson.toString());
    } catch (IOException | RuntimeException e) {
      throw new MalformedLine("not a valid " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The plain line {@link #parse} reads back into an equal record. */
  public static String format(TopicSpec<?> topic, SpecificRecord record) {
    return format(topic, record, Form.PLAIN);
  }

  /** The line of the given form that {@link #parse} reads back into an equal record. */
  public static String format(TopicSpec<?> topic, SpecificRecord record, Form form) {
    String json;
    if (form == Form.PLAIN) {
      json = PlainJson.fromAvro(record.getSchema(), record).toString();
    } else {
      json = AvroJson.write(record);
      if (record instanceof DeadLetter letter) {
        json = toBase64Form(json, letter);
      }
    }
    if (!isMultiType(topic)) {
      return json;
    }
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    wrapper.put("type", record.getSchema().getName());
    try {
      wrapper.set("record", JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Avro wrote JSON it cannot read back", e);
    }
    return wrapper.toString();
  }

  /**
   * The record's Kafka key: its subjectId, its deviceId on device-keyed topics, {@code writer/scope}
   * for an audit checkpoint, and on dead-letter topics the original key as text (null if the
   * original had none).
   */
  public static String key(TopicSpec<?> topic, SpecificRecord record) throws MalformedLine {
    if (record instanceof DeadLetter letter) {
      return letter.getKey() == null ? null : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
    }
    if (record instanceof AuditCheckpoint checkpoint) {
      return AuditCheckpoints.kafkaKey(checkpoint.getWriter(), checkpoint.getScope());
    }
    String field = topic.keyKind() == TopicSpec.KeyKind.DEVICE_ID ? "deviceId" : "subjectId";
    Schema.Field keyField = record.getSchema().getField(field);
    if (keyField == null) {
      throw new MalformedLine(record.getSchema().getName() + " has no " + field + " to key it by");
    }
    Object key = record.get(keyField.pos());
    if (key == null || key.toString().isBlank()) {
      throw new MalformedLine(field + " is blank: the record cannot be keyed");
    }
    return key.toString();
  }

  /** Whether the topic carries Avro contract records (the OCSF projection carries JSON text). */
  public static boolean isAvro(TopicSpec<?> topic) {
    return !topic.recordTypes().isEmpty();
  }

  static boolean isMultiType(TopicSpec<?> topic) {
    return topic.recordTypes().size() > 1;
  }

  private static Class<? extends SpecificRecord> wrappedType(TopicSpec<?> topic, JsonNode node) throws MalformedLine {
    JsonNode name = node.get("type");
    List<String> allowed = new ArrayList<>();
    for (Class<? extends SpecificRecord> t : topic.recordTypes()) {
      allowed.add(t.getSimpleName());
      if (name != null && (name.asText().equals(t.getSimpleName()) || name.asText().equals(t.getName()))) {
        return t;
      }
    }
    throw new MalformedLine((name == null ? "missing \"type\"" : "type \"" + name.asText() + "\" is not carried")
        + " on " + topic.name() + "; one of " + allowed);
  }

  /** Fills top-level fields the line leaves out with their schema default; rejects unknown fields. */
  private static void completeWithDefaults(Schema schema, ObjectNode body) throws MalformedLine {
    Map<String, JsonNode> defaults = DEFAULTS.computeIfAbsent(schema, RecordLines::defaultsOf);
    for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (schema.getField(name) == null) {
        throw new MalformedLine("unknown field \"" + name + "\" for " + schema.getName());
      }
    }
    List<String> missing = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      if (!body.has(field.name())) {
        JsonNode fallback = defaults.get(field.name());
        if (fallback == null) {
          missing.add(field.name());
        } else {
          body.set(field.name(), fallback.deepCopy());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedLine("missing required field" + (missing.size() > 1 ? "s " : " ") + missing
          + " of " + schema.getName());
    }
  }

  /** Any Avro datum of the schema (specific or generic) in the plain form. */
  public static JsonNode plain(Schema schema, Object datum) {
    return PlainJson.fromAvro(schema, datum);
  }

  /** A field's default value as the schema writes it (a union's is a value of its first branch). */
  static JsonNode defaultOf(Schema schema, String field) {
    return DEFAULTS.computeIfAbsent(schema, RecordLines::defaultsOf).get(field).deepCopy();
  }

  /** Default values in Avro's JSON encoding, read from the schema's own JSON. */
  private static Map<String, JsonNode> defaultsOf(Schema schema) {
    Map<String, JsonNode> defaults = new LinkedHashMap<>();
    try {
      for (JsonNode field : JSON.readTree(schema.toString()).get("fields")) {
        if (field.has("default")) {
          defaults.put(field.get("name").asText(), field.get("default"));
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read the schema of " + schema.getName(), e);
    }
    return defaults;
  }

  private static String toBase64Form(String json, DeadLetter letter) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(json);
      putBase64(node, "key", letter.getKey());
      putBase64(node, "value", letter.getValue());
      return node.toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Avro wrote JSON it cannot read back", e);
    }
  }

  private static void putBase64(ObjectNode node, String field, ByteBuffer bytes) {
    if (bytes == null) {
      node.putNull(field);
      return;
    }
    ByteBuffer copy = bytes.duplicate();
    byte[] raw = new byte[copy.remaining()];
    copy.get(raw);
    node.put(field, Base64.getEncoder().encodeToString(raw));
  }

  /** Base64 {@code key} / {@code value} back to Avro JSON's union-of-bytes form. */
  private static ObjectNode fromBase64Form(ObjectNode body) throws MalformedLine {
    for (String field : List.of("key", "value")) {
      JsonNode value = body.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      if (!value.isTextual()) {
        throw new MalformedLine("\"" + field + "\" must be a base64 string or null");
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(value.asText());
      } catch (IllegalArgumentException e) {
        throw new MalformedLine("\"" + field + "\" is not base64: " + e.getMessage());
      }
      // Avro's JSON encoding writes bytes as a string of ISO-8859-1 code points.
      body.set(field, JsonNodeFactory.instance.objectNode()
          .put("bytes", new String(raw, StandardCharsets.ISO_8859_1)));
    }
    return body;
  }
}
