package io.authlifecycle.core.config;

import java.util.List;

/**
 * The Markdown table of a list of settings, as the READMEs show it: key, environment variable,
 * default and meaning, all from the {@link Setting} declarations, so the documentation cannot
 * drift from the code (each module's README test compares them).
 */
public final class SettingsTable {

  private SettingsTable() {}

  public static String markdown(List<Setting<?>> settings) {
    StringBuilder table = new StringBuilder("| key | environment variable | default | meaning |\n| --- | --- | --- | --- |\n");
    for (Setting<?> s : settings) {
      String meaning = s.ruleDescription().isEmpty() ? s.doc() : s.doc() + " Rule: " + s.ruleDescription() + ".";
      String fallback = s.defaultValue() == null ? null
          : s.defaultValue().replace(System.getProperty("java.io.tmpdir"), "<java.io.tmpdir>");
      table.append("| `").append(s.key()).append("` | `").append(s.environmentVariable()).append("` | ")
          .append(fallback == null ? "(required)" : fallback.isEmpty() ? "(empty)" : "`" + fallback + "`")
          .append(" | ").append(meaning.replace("|", "\\|").replace("\n", " ")).append(" |\n");
    }
    return table.toString();
  }
}
