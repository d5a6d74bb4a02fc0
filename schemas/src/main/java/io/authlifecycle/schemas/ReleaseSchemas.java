package io.authlifecycle.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Releases the current schemas: writes each record whose current form differs from its latest
 * released version as the next version under {@code schemas/src/main/resources/released}, and
 * rewrites the index. Refuses to release an incompatible change.
 *
 * <p>Run from the repository root: {@code mvn -q -pl schemas -Prelease-schemas process-classes}.
 */
public final class ReleaseSchemas {

  private ReleaseSchemas() {}

  /** Arguments: the .avsc source directory, the released directory. */
  public static void main(String[] args) throws Exception {
    List<Path> written = release(Path.of(args[1]), recordClassNames(Path.of(args[0])));
    System.out.println(written.isEmpty() ? "every schema is already released" : "released " + written);
  }

  /** The generated class of every record declared at the top of an .avsc file. */
  public static List<String> recordClassNames(Path avroDir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> names = new ArrayList<>();
    try (var files = Files.walk(avroDir)) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".avsc")).sorted()::iterator) {
        JsonNode node = json.readTree(file.toFile());
        if ("record".equals(node.path("type").asText())) {
          names.add(node.path("namespace").asText() + "." + node.path("name").asText());
        }
      }
    }
    return names;
  }

  /** Returns the files written. */
  public static List<Path> release(Path releasedDir, List<String> classNames) throws IOException, ClassNotFoundException {
    SchemaCatalog current = SchemaCatalog.get();
    Map<String, List<SchemaCatalog.ReleasedSchema>> released = current.released();
    List<Path> written = new ArrayList<>();
    for (String className : classNames) {
      Class<?> type = Class.forName(className);
      Schema schema = SpecificData.get().getSchema(type);
      List<SchemaCatalog.ReleasedSchema> versions = released.getOrDefault(schema.getFullName(), List.of());
      if (!versions.isEmpty()
          && SchemaCatalog.fingerprint(versions.get(versions.size() - 1).schema()) == SchemaCatalog.fingerprint(schema)) {
        continue;
      }
      List<SchemaEvolution.Violation> violations = SchemaEvolution.check(schema, versions);
      if (!violations.isEmpty()) {
        throw new IllegalStateException("refusing to release an incompatible change: " + violations);
      }
      Path file = releasedDir.resolve(schema.getFullName()).resolve("v" + (versions.size() + 1) + ".avsc");
      Files.createDirectories(file.getParent());
      Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
      written.add(file);
    }
    TreeSet<String> index = new TreeSet<>();
    try (var files = Files.walk(releasedDir)) {
      files.filter(p -> p.toString().endsWith(".avsc"))
          .forEach(p -> index.add(releasedDir.relativize(p).toString().replace('\\', '/')));
    }
    Files.writeString(releasedDir.resolve("index.txt"),
        "# every released schema version; written by ReleaseSchemas, read by SchemaCatalog\n"
            + String.join("\n", index) + "\n", StandardCharsets.UTF_8);
    return written;
  }
}
