package io.authlifecycle.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.SettingsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks that a README carries the settings table generated from the declarations, verbatim. */
public final class ReadmeSettings {

  private ReadmeSettings() {}

  /**
   * Fails, printing the table to paste, unless {@code readme} (relative to the module, or to the
   * repository root with {@code ../}) contains exactly the generated table of {@code settings}.
   */
  public static void assertDocumented(String readme, List<Setting<?>> settings) {
    String text;
    try {
      text = Files.readString(Path.of(readme), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String table = SettingsTable.markdown(settings);
    assertThat(text).as("%s must contain the settings table generated from the declarations:%n%s", readme, table)
        .contains(table);
  }
}
