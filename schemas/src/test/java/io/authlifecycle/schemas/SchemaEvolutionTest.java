package io.authlifecycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.WorkerEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

  private final SchemaCatalog catalog = SchemaCatalog.get();

  @Test
  void everySchemaIsBackwardAndForwardCompatibleWithAllItsReleasedVersions() throws Exception {
    List<SchemaEvolution.Violation> violations = new ArrayList<>();
    for (Map.Entry<String, List<SchemaCatalog.ReleasedSchema>> entry : catalog.released().entrySet()) {
      Schema current = SpecificData.get().getSchema(Class.forName(entry.getKey()));
      violations.addAll(SchemaEvolution.check(current, entry.getValue()));
    }
    assertThat(violations).isEmpty();
    assertThat(catalog.released()).containsKey(WorkerEvent.class.getName());
  }

  @Test
  void everyRecordInTheSourceTreeHasItsCurrentFormReleased() throws Exception {
    List<String> unreleased = new ArrayList<>();
    for (String className : ReleaseSchemas.recordClassNames(Path.of("src/main/avro"))) {
      Schema current = SpecificData.get().getSchema(Class.forName(className));
      List<SchemaCatalog.ReleasedSchema> versions = catalog.released().getOrDefault(current.getFullName(), List.of());
      boolean released = versions.stream()
          .anyMatch(v -> SchemaCatalog.fingerprint(v.schema()) == SchemaCatalog.fingerprint(current));
      if (!released) {
        unreleased.add(className);
      }
    }
    assertThat(unreleased)
        .as("changed schemas must be released: mvn -q -pl schemas -Prelease-schemas process-classes")
        .isEmpty();
  }

  @Test
  void theCheckCatchesAFieldAddedWithoutADefault() {
    Schema current = WorkerEvent.getClassSchema();
    Schema broken = withField(current, "{\"name\": \"costCenter\", \"type\": \"string\"}");

    List<SchemaEvolution.Violation> violations = SchemaEvolution.check(broken, released(current));

    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).direction()).startsWith("backward");
    assertThat(violations.get(0).description()).contains("READER_FIELD_MISSING_DEFAULT").contains("costCenter");
  }

  @Test
  void theCheckCatchesAFieldTypeChangeInBothDirections() {
    Schema current = WorkerEvent.getClassSchema();
    String json = current.toString().replace("{\"name\":\"privileged\",\"type\":\"boolean\"", "{\"name\":\"privileged\",\"type\":\"string\"");
    Schema broken = new Schema.Parser().setValidateDefaults(false).parse(json);

    List<SchemaEvolution.Violation> violations = SchemaEvolution.check(broken, released(current));

    assertThat(violations).extracting(SchemaEvolution.Violation::direction)
        .anySatisfy(d -> assertThat(d).startsWith("backward"))
        .anySatisfy(d -> assertThat(d).startsWith("forward"));
    assertThat(violations.toString()).contains("TYPE_MISMATCH").contains("/fields/6/type");
  }

  @Test
  void anOptionalFieldWithADefaultIsAnAllowedChange() {
    Schema current = WorkerEvent.getClassSchema();
    Schema evolved = withField(current, "{\"name\": \"costCenter\", \"type\": [\"null\", \"string\"], \"default\": null}");

    assertThat(SchemaEvolution.check(evolved, released(current))).isEmpty();
  }

  private static List<SchemaCatalog.ReleasedSchema> released(Schema schema) {
    return List.of(new SchemaCatalog.ReleasedSchema(schema.getFullName(), 1, schema));
  }

  private static Schema withField(Schema schema, String fieldJson) {
    String json = schema.toString();
    int end = json.lastIndexOf("]");
    return new Schema.Parser().parse(json.substring(0, end) + "," + fieldJson + json.substring(end));
  }
}
