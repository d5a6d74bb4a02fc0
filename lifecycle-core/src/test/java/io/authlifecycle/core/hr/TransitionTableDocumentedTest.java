package io.authlifecycle.core.hr;

import static io.authlifecycle.core.hr.HrEvents.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.hr.StandingFoldTest.Before;
import io.authlifecycle.core.hr.StandingFoldTest.Input;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The transition table in this module's README and in docs/architecture.md is the one the fold
 * computes: each cell is rendered by folding the row's standing with the column's event.
 */
class TransitionTableDocumentedTest {

  static final Map<Before, String> ROWS = Map.of(Before.UNKNOWN, "UNKNOWN (never seen)", Before.ACTIVE, "ACTIVE",
      Before.LEAVE_PENDING, "LEAVE_PENDING", Before.PENDING_DUE, "LEAVE_PENDING, its effective time passed",
      Before.TERMINATED, "TERMINATED");
  static final Map<Input, String> COLUMNS = Map.of(Input.JOINER, "JOINER", Input.MOVER, "MOVER",
      Input.REHIRE, "REHIRE, verified", Input.REHIRE_UNVERIFIED, "REHIRE, not verified",
      Input.LEAVER_NOW, "LEAVER, effective", Input.LEAVER_FUTURE, "LEAVER, future-dated",
      Input.LEAVER_CANCELLED, "LEAVER_CANCELLED");

  /** The table as the fold computes it, in Markdown. */
  static String table() {
    StringBuilder out = new StringBuilder("| standing \\ event |");
    for (Input input : Input.values()) {
      out.append(' ').append(COLUMNS.get(input)).append(" |");
    }
    out.append("\n| ---").append(" | ---".repeat(Input.values().length)).append(" |\n");
    for (Before before : Before.values()) {
      out.append("| ").append(ROWS.get(before)).append(" |");
      for (Input input : Input.values()) {
        out.append(' ').append(cell(StandingFold.fold(before.standing(), input.record(), T, StandingFoldTest.RULES)))
            .append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(Folded folded) {
    String changes = folded.changes().stream().filter(StandingFoldTest.PHASE_CHANGES::contains).map(Enum::name)
        .collect(Collectors.joining(", "));
    return folded.after().getPhase() + (changes.isEmpty() ? "" : ": " + changes)
        + folded.refusal().map(r -> " (" + r + ")").orElse("");
  }

  @Test
  void theCoreReadmeShowsTheTableTheFoldComputes() throws IOException {
    assertContainsTable("README.md");
  }

  @Test
  void theArchitecturePageShowsTheTableTheFoldComputes() throws IOException {
    assertContainsTable("../docs/architecture.md");
  }

  private static void assertContainsTable(String file) throws IOException {
    String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    String table = table();
    assertThat(text).as("%s must contain the transition table the fold computes:%n%s", file, table).contains(table);
  }
}
