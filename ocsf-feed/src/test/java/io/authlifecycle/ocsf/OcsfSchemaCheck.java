package io.authlifecycle.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks an event against the OCSF 1.8.0 definitions in {@code ocsf-1.8.0/constraints.json}: every
 * attribute defined by its class or object, required ones present, JSON types, enum values, enum
 * siblings carrying the caption (for 99 the source's own value, never "Other"), at-least-one
 * constraints, and the classification (category, class, type_uid and their names).
 */
final class OcsfSchemaCheck {

  private static final JsonNode SCHEMA = load();

  private OcsfSchemaCheck() {}

  /** Every violation found, as "path: problem"; empty when the event is valid. */
  static List<String> violations(JsonNode event) {
    List<String> problems = new ArrayList<>();
    JsonNode type = SCHEMA.at("/classes/" + event.path("class_uid").asInt());
    if (type.isMissingNode()) {
      problems.add("class_uid: " + event.path("class_uid") + " is not a class this check knows");
      return problems;
    }
    checkObject("", event, type.get("attributes"), null, problems);
    int activity = event.path("activity_id").asInt();
    String activityCaption = type.at("/attributes/activity_id/enum/" + activity).asText();
    expect(problems, "category_uid", event.path("category_uid").asInt(), type.get("category_uid").asInt());
    expect(problems, "category_name", event.path("category_name").asText(), type.get("category_caption").asText());
    expect(problems, "class_name", event.path("class_name").asText(), type.get("caption").asText());
    expect(problems, "type_uid", event.path("type_uid").asLong(), event.path("class_uid").asLong() * 100 + activity);
    expect(problems, "type_name", event.path("type_name").asText(), type.get("caption").asText() + ": " + activityCaption);
    return problems;
  }

  private static void checkObject(String path, JsonNode value, JsonNode attributes, JsonNode constraints,
      List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> attribute = it.next();
      if (attribute.getValue().path("requirement").asText().equals("required") && !value.has(attribute.getKey())) {
        problems.add(path + attribute.getKey() + ": required, missing");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode definition = attributes.get(field.getKey());
      if (definition == null) {
        problems.add(path + field.getKey() + ": not an attribute of this class or object");
        continue;
      }
      checkAttribute(path + field.getKey(), field.getValue(), definition, value, problems);
    }
    if (constraints != null && constraints.has("at_least_one")) {
      boolean any = false;
      for (JsonNode name : constraints.get("at_least_one")) {
        any |= value.has(name.asText());
      }
      if (!any) {
        problems.add(path + "(object): needs at least one of " + constraints.get("at_least_one"));
      }
    }
  }

  private static void checkAttribute(String path, JsonNode value, JsonNode definition, JsonNode parent,
      List<String> problems) {
    if (definition.path("array").asBoolean()) {
      if (!value.isArray()) {
        problems.add(path + ": must be an array");
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        checkValue(path + "[" + i + "]", value.get(i), definition, parent, problems);
      }
      return;
    }
    checkValue(path, value, definition, parent, problems);
  }

  private static void checkValue(String path, JsonNode value, JsonNode definition, JsonNode parent,
      List<String> problems) {
    String type = definition.get("type").asText();
    if (type.startsWith("object:")) {
      JsonNode object = SCHEMA.at("/objects/" + type.substring("object:".length()));
      if (!value.isObject()) {
        problems.add(path + ": must be an object");
      } else if (object.isMissingNode()) {
        problems.add(path + ": object " + type + " is not one this check knows");
      } else {
        checkObject(path + ".", value, object.get("attributes"), object.get("constraints"), problems);
      }
      return;
    }
    boolean typed = switch (type) {
      case "integer", "long" -> value.isIntegralNumber();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "number" -> value.isNumber();
      case "object", "json" -> true;
      default -> false;
    };
    if (!typed) {
      problems.add(path + ": must be " + type + ", is " + value.getNodeType());
      return;
    }
    if (definition.has("enum")) {
      JsonNode caption = definition.get("enum").get(value.asText());
      if (caption == null) {
        problems.add(path + ": " + value + " is not one of " + definition.get("enum"));
      } else if (definition.has("sibling")) {
        String siblingName = definition.get("sibling").asText();
        JsonNode sibling = parent.get(siblingName);
        String siblingPath = path.substring(0, path.length() - path.replaceAll(".*[.\\]]", "").length()) + siblingName;
        if (sibling == null) {
          problems.add(siblingPath + ": missing beside " + path + " = " + value);
        } else if (value.asInt() == 99 ? sibling.asText().equals("Other") || sibling.asText().isBlank()
            : !sibling.asText().equals(caption.asText())) {
          problems.add(siblingPath + ": \"" + sibling.asText() + "\" for " + path + " = " + value
              + (value.asInt() == 99 ? "; 99 wants the source's own value" : "; the caption is \"" + caption.asText() + "\""));
        }
      }
    }
  }

  private static void expect(List<String> problems, String path, Object actual, Object expected) {
    if (!actual.equals(expected)) {
      problems.add(path + ": " + actual + ", expected " + expected);
    }
  }

  private static JsonNode load() {
    try (InputStream in = OcsfSchemaCheck.class.getResourceAsStream("/ocsf-1.8.0/constraints.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
