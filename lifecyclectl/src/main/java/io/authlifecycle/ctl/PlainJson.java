package io.authlifecycle.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * The plain JSON form of a record, converted by its schema: times as ISO-8601 text, a nullable
 * field as {@code null} or its value (no union wrappers), enums by name, bytes as base64. Fields
 * with a default may be left out.
 */
final class PlainJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private PlainJson() {}

  /** A plain JSON value as Avro's JSON encoding of {@code schema}, which Avro's decoder reads. */
  static JsonNode toAvroJson(Schema schema, JsonNode value, String path) throws RecordLines.MalformedLine {
    switch (schema.getType()) {
      case RECORD:
        return record(schema, value, path);
      case UNION:
        return union(schema, value, path);
      case NULL:
        if (value != null && !value.isNull()) {
          throw malformed(path, "must be null");
        }
        return JSON.nullNode();
      case LONG:
      case INT:
        return number(schema, value, path);
      case STRING:
        return text(value, path, "a string");
      case ENUM:
        if (value == null || !value.isTextual() || !schema.getEnumSymbols().contains(value.asText())) {
          throw malformed(path, "must be one of " + schema.getEnumSymbols() + (value == null ? "" : ", is " + value));
        }
        return value;
      case BOOLEAN:
        if (value == null || !value.isBoolean()) {
          throw malformed(path, "must be true or false");
        }
        return value;
      case FLOAT:
      case DOUBLE:
        if (value == null || !value.isNumber()) {
          throw malformed(path, "must be a number");
        }
        return value;
      case BYTES:
      case FIXED:
        try {
          // Avro's JSON encoding writes bytes as a string of ISO-8859-1 code points.
          byte[] raw = Base64.getDecoder().decode(text(value, path, "base64 text").asText());
          return JSON.textNode(new String(raw, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
          throw malformed(path, "is not base64: " + e.getMessage());
        }
      case ARRAY: {
        if (value == null || !value.isArray()) {
          throw malformed(path, "must be an array");
        }
        ArrayNode out = JSON.arrayNode();
        for (int i = 0; i < value.size(); i++) {
          out.add(toAvroJson(schema.getElementType(), value.get(i), path + "[" + i + "]"));
        }
        return out;
      }
      case MAP: {
        if (value == null || !value.isObject()) {
          throw malformed(path, "must be an object");
        }
        ObjectNode out = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          out.set(e.getKey(), toAvroJson(schema.getValueType(), e.getValue(), path + "." + e.getKey()));
        }
        return out;
      }
      default:
        throw malformed(path, "has an Avro type this form does not know: " + schema.getType());
    }
  }

  private static JsonNode record(Schema schema, JsonNode value, String path) throws RecordLines.MalformedLine {
    if (value == null || !value.isObject()) {
      throw malformed(path, "must be an object (a " + schema.getName() + ")");
    }
    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        throw new RecordLines.MalformedLine("unknown field \"" + name + "\" for " + schema.getName());
      }
    }
    ObjectNode out = JSON.objectNode();
    List<String> missing = new java.util.ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      JsonNode given = value.get(field.name());
      String at = path.isEmpty() ? field.name() : path + "." + field.name();
      if (given != null) {
        out.set(field.name(), toAvroJson(field.schema(), given, at));
      } else if (field.hasDefaultValue()) {
        // A union's default is a value of its first branch.
        Schema of = field.schema().getType() == Schema.Type.UNION ? field.schema().getTypes().get(0) : field.schema();
        JsonNode fallback = RecordLines.defaultOf(schema, field.name());
        out.set(field.name(), field.schema().getType() == Schema.Type.UNION && of.getType() != Schema.Type.NULL
            ? JSON.objectNode().set(branchName(of), fallback) : fallback);
      } else {
        missing.add(field.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new RecordLines.MalformedLine("missing required field" + (missing.size() > 1 ? "s " : " ") + missing
          + " of " + schema.getName() + (path.isEmpty() ? "" : " at " + path));
    }
    return out;
  }

  private static JsonNode union(Schema schema, JsonNode value, String path) throws RecordLines.MalformedLine {
    List<Schema> branches = schema.getTypes();
    if (value == null || value.isNull()) {
      if (branches.stream().anyMatch(b -> b.getType() == Schema.Type.NULL)) {
        return JSON.nullNode();
      }
      throw malformed(path, "must not be null");
    }
    for (Schema branch : branches) {
      if (fits(branch, value)) {
        return JSON.objectNode().set(branchName(branch), toAvroJson(branch, value, path));
      }
    }
    String hint = value.isObject() && value.size() == 1 ? " (union wrappers such as {\"string\": ...} are the "
        + "--avro-json form; here write the value itself)" : "";
    throw malformed(path, "must be null or " + describe(branches) + ", is " + value + hint);
  }

  /** Whether a plain value can be the given union branch. */
  private static boolean fits(Schema branch, JsonNode value) {
    switch (branch.getType()) {
      case STRING: return value.isTextual();
      case ENUM: return value.isTextual() && branch.getEnumSymbols().contains(value.asText());
      case INT: case LONG: return value.isIntegralNumber() || value.isTextual() && isTime(branch.getLogicalType());
      case FLOAT: case DOUBLE: return value.isNumber();
      case BOOLEAN: return value.isBoolean();
      case BYTES: case FIXED: return value.isTextual();
      case ARRAY: return value.isArray();
      case RECORD: return value.isObject() && !(value.size() == 1 && value.has(branchName(branch)));
      case MAP: return value.isObject();
      default: return false;
    }
  }

  private static JsonNode number(Schema schema, JsonNode value, String path) throws RecordLines.MalformedLine {
    LogicalType logical = schema.getLogicalType();
    if (value != null && value.isTextual() && isTime(logical)) {
      String text = value.asText();
      try {
        switch (logical.getName()) {
          case "timestamp-millis": return JSON.numberNode(instant(text).toEpochMilli());
          case "timestamp-micros": {
            Instant t = instant(text);
            return JSON.numberNode(t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
          }
          default: return JSON.numberNode((int) LocalDate.parse(text).toEpochDay());
        }
      } catch (DateTimeParseException e) {
        throw malformed(path, "is not an ISO-8601 " + (logical.getName().equals("date") ? "date" : "time")
            + " (e.g. 2026-11-02T09:00:00Z): " + text);
      }
    }
    if (value == null || !value.isIntegralNumber() || schema.getType() == Schema.Type.INT && !value.canConvertToInt()) {
      throw malformed(path, isTime(logical) ? "must be an ISO-8601 time such as 2026-11-02T09:00:00Z"
          : "must be a whole number");
    }
    return value;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  private static boolean isTime(LogicalType logical) {
    return logical != null && List.of("timestamp-millis", "timestamp-micros", "date").contains(logical.getName());
  }

  /** A record (or any Avro value) in the plain form. */
  static JsonNode fromAvro(Schema schema, Object datum) {
    if (datum == null) {
      return JSON.nullNode();
    }
    switch (schema.getType()) {
      case UNION: {
        // Every union of the contracts is null or one type; resolving by class would miss logical types.
        List<Schema> nonNull = schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        Schema branch = nonNull.size() == 1 ? nonNull.get(0)
            : schema.getTypes().get(SpecificData.get().resolveUnion(schema, datum));
        return fromAvro(branch, datum);
      }
      case RECORD: {
        ObjectNode out = JSON.objectNode();
        IndexedRecord record = (IndexedRecord) datum;
        for (Schema.Field field : schema.getFields()) {
          out.set(field.name(), fromAvro(field.schema(), record.get(field.pos())));
        }
        return out;
      }
      case ARRAY: {
        ArrayNode out = JSON.arrayNode();
        for (Object item : (Iterable<?>) datum) {
          out.add(fromAvro(schema.getElementType(), item));
        }
        return out;
      }
      case MAP: {
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
          out.set(e.getKey().toString(), fromAvro(schema.getValueType(), e.getValue()));
        }
        return out;
      }
      case BYTES: {
        ByteBuffer copy = ((ByteBuffer) datum).duplicate();
        byte[] raw = new byte[copy.remaining()];
        copy.get(raw);
        return JSON.textNode(Base64.getEncoder().encodeToString(raw));
      }
      case FIXED:
        return JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes()));
      case LONG:
      case INT:
        return time(schema.getLogicalType(), datum);
      case BOOLEAN:
        return JSON.booleanNode((Boolean) datum);
      case FLOAT:
      case DOUBLE:
        return JSON.numberNode(((Number) datum).doubleValue());
      default:
        return JSON.textNode(datum.toString());
    }
  }

  private static JsonNode time(LogicalType logical, Object datum) {
    if (datum instanceof Instant || datum instanceof LocalDate) {
      return JSON.textNode(datum.toString());
    }
    long n = ((Number) datum).longValue();
    if (logical != null && logical.getName().equals("timestamp-millis")) {
      return JSON.textNode(Instant.ofEpochMilli(n).toString());
    }
    if (logical != null && logical.getName().equals("date")) {
      return JSON.textNode(LocalDate.ofEpochDay(n).toString());
    }
    return JSON.numberNode(n);
  }

  private static String branchName(Schema branch) {
    return switch (branch.getType()) {
      case RECORD, ENUM, FIXED -> branch.getFullName();
      default -> branch.getType().getName();
    };
  }

  private static String describe(List<Schema> branches) {
    return String.join(" or ", branches.stream().filter(b -> b.getType() != Schema.Type.NULL)
        .map(b -> switch (b.getType()) {
          case RECORD -> "an object (a " + b.getName() + ")";
          case ENUM -> "one of " + b.getEnumSymbols();
          case LONG, INT -> isTime(b.getLogicalType()) ? "an ISO-8601 time" : "a whole number";
          case BYTES, FIXED -> "base64 text";
          default -> "a " + b.getType().getName();
        }).toList());
  }

  private static JsonNode text(JsonNode value, String path, String what) throws RecordLines.MalformedLine {
    if (value == null || !value.isTextual()) {
      throw malformed(path, "must be " + what);
    }
    return value;
  }

  private static RecordLines.MalformedLine malformed(String path, String problem) {
    return new RecordLines.MalformedLine("field " + (path.isEmpty() ? "(record)" : path) + " " + problem);
  }
}
