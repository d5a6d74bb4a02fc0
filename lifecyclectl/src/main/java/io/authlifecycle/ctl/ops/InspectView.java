package io.authlifecycle.ctl.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.ctl.RecordLines;
import io.authlifecycle.schemas.SchemaCatalog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * What {@code inspect} prints: the machine form (the workers' answers as one JSON document) or a
 * view for people, one section per worker, with state records decoded by their schema so times
 * read as ISO-8601 and optional values as themselves.
 */
final class InspectView {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private InspectView() {}

  /** The machine form: {@code {"subjectId", "workers": [answers], "unreachable": [endpoints]}}. */
  static ObjectNode json(String subject, List<JsonNode> answers, List<String> unreachable) {
    ObjectNode out = JSON.objectNode().put("subjectId", subject);
    out.putArray("workers").addAll(answers);
    unreachable.forEach(out.putArray("unreachable")::add);
    return out;
  }

  /** The view for people. */
  static String text(String subject, List<JsonNode> answers, List<String> unreachable) {
    StringBuilder out = new StringBuilder("subject ").append(subject).append('\n');
    for (JsonNode answer : answers) {
      out.append('\n').append("== ").append(answer.path("worker").asText("(unnamed worker)"));
      if (answer.hasNonNull("servedBy")) {
        out.append("  (served by ").append(answer.get("servedBy").asText()).append(')');
      }
      out.append('\n');
      if (answer.has("error")) {
        out.append("  error: ").append(answer.get("error").asText()).append('\n');
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = answer.path("state").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> store = it.next();
        out.append("  ").append(store.getKey()).append(':');
        if (store.getValue().isNull()) {
          out.append(" nothing held\n");
        } else {
          out.append('\n');
          write(out, readable(store.getValue()), "    ");
        }
      }
      JsonNode timers = answer.path("pendingTimers");
      out.append("  pending timers:").append(timers.isEmpty() ? " none\n" : "\n");
      for (JsonNode timer : timers) {
        JsonNode t = readable(timer);
        out.append("    ").append(t.path("dueAt").asText(t.path("due").asText("?"))).append("  ")
            .append(t.path("kind").asText("?")).append('\n');
      }
    }
    if (answers.isEmpty()) {
      out.append("\nno worker answered\n");
    }
    if (!unreachable.isEmpty()) {
      out.append("\nnot reached: ").append(String.join(", ", unreachable)).append('\n');
    }
    return out.toString();
  }

  /**
   * A state record in the plain form: decoded with the released schema whose fields it has,
   * else as it came with Avro's union wrappers taken off.
   */
  static JsonNode readable(JsonNode avroJson) {
    if (avroJson.isObject()) {
      Set<String> fields = new HashSet<>();
      avroJson.fieldNames().forEachRemaining(fields::add);
      for (Schema schema : candidates()) {
        Set<String> names = new HashSet<>();
        schema.getFields().forEach(f -> names.add(f.name()));
        if (names.equals(fields)) {
          try {
            Object datum = new GenericDatumReader<>(schema).read(null,
                DecoderFactory.get().jsonDecoder(schema, avroJson.toString()));
            return RecordLines.plain(schema, datum);
          } catch (IOException | RuntimeException e) {
            // Not this schema; try the next.
          }
        }
      }
    }
    return unwrap(avroJson);
  }

  private static List<Schema> candidates() {
    List<Schema> schemas = new ArrayList<>();
    SchemaCatalog.get().released().values().forEach(versions ->
        schemas.add(versions.get(versions.size() - 1).schema()));
    return schemas;
  }

  /** Takes off Avro's union wrappers ({"string": "x"} becomes "x"). */
  private static JsonNode unwrap(JsonNode node) {
    if (node.isObject() && node.size() == 1) {
      String key = node.fieldNames().next();
      if (key.contains(".") || List.of("string", "long", "int", "boolean", "double", "float", "bytes", "map", "array")
          .contains(key)) {
        return unwrap(node.get(key));
      }
    }
    if (node.isObject()) {
      ObjectNode out = JSON.objectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), unwrap(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      return JSON.arrayNode().addAll(unwrapAll(node));
    }
    return node;
  }

  private static List<JsonNode> unwrapAll(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(item -> out.add(unwrap(item)));
    return out;
  }

  private static void write(StringBuilder out, JsonNode node, String indent) {
    if (!node.isObject()) {
      out.append(indent).append(node.isTextual() ? node.asText() : node.toString()).append('\n');
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        out.append(indent).append(field.getKey()).append(":\n");
        write(out, value, indent + "  ");
      } else if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
        out.append(indent).append(field.getKey()).append(":\n");
        for (JsonNode item : value) {
          out.append(indent).append("  -\n");
          write(out, item, indent + "    ");
        }
      } else {
        out.append(indent).append(field.getKey()).append(": ")
            .append(value.isTextual() ? value.asText() : value.isArray() ? join(value) : value.toString()).append('\n');
      }
    }
  }

  private static String join(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(i -> items.add(i.isTextual() ? i.asText() : i.toString()));
    return items.isEmpty() ? "(none)" : String.join(", ", items);
  }
}
