package io.authlifecycle.deploy.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Kubernetes objects as Jackson trees, written as YAML documents and read back. */
public final class Yaml {

  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build());

  private Yaml() {}

  public static ObjectNode map() {
    return YAML.createObjectNode();
  }

  public static ArrayNode list() {
    return YAML.createArrayNode();
  }

  /** {@code apiVersion}, {@code kind} and {@code metadata.name}. */
  static ObjectNode object(String apiVersion, String kind, String name) {
    ObjectNode o = map().put("apiVersion", apiVersion).put("kind", kind);
    o.putObject("metadata").put("name", name);
    return o;
  }

  /** The object's {@code metadata}. */
  static ObjectNode metadata(ObjectNode object) {
    return (ObjectNode) object.get("metadata");
  }

  /** A file of YAML documents under a comment saying what it holds. */
  static String documents(String header, List<? extends JsonNode> docs) {
    StringBuilder out = new StringBuilder(header);
    for (JsonNode doc : docs) {
      try {
        out.append(YAML.writeValueAsString(doc));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write " + doc.path("kind") + " as YAML", e);
      }
    }
    return out.toString();
  }

  /** Every document of a YAML stream, e.g. what {@code kubectl kustomize} prints. */
  public static List<JsonNode> read(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }
}
