package io.authlifecycle.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The evolution rule: a current schema must read every released version (backward) and every
 * released reader must read the current one (forward).
 */
public final class SchemaEvolution {

  private SchemaEvolution() {}

  /** One direction that does not resolve, described for the build log. */
  public record Violation(String fullName, int releasedVersion, String direction, String description) {
    @Override
    public String toString() {
      return fullName + " v" + releasedVersion + " " + direction + ": " + description;
    }
  }

  /** Checks {@code current} against each released version; an empty list means compatible. */
  public static List<Violation> check(Schema current, List<SchemaCatalog.ReleasedSchema> released) {
    List<Violation> violations = new ArrayList<>();
    for (SchemaCatalog.ReleasedSchema old : released) {
      SchemaPairCompatibility backward =
          SchemaCompatibility.checkReaderWriterCompatibility(current, old.schema());
      if (backward.getType() != SchemaCompatibilityType.COMPATIBLE) {
        violations.add(new Violation(old.fullName(), old.version(),
            "backward (current reader, released writer)", describe(backward)));
      }
      SchemaPairCompatibility forward =
          SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), current);
      if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
        violations.add(new Violation(old.fullName(), old.version(),
            "forward (released reader, current writer)", describe(forward)));
      }
    }
    return violations;
  }

  private static String describe(SchemaPairCompatibility result) {
    List<String> parts = new ArrayList<>();
    result.getResult().getIncompatibilities().forEach(i ->
        parts.add(i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")"));
    return parts.isEmpty() ? result.getDescription() : String.join("; ", parts);
  }
}
