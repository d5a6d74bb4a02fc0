package io.authlifecycle.ctl;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings the CLI reads as the workers do: defaults, the file {@code LIFECYCLE_CONFIG_FILE} names, {@code LIFECYCLE_*} variables. */
public final class WorkerSettings {

  private WorkerSettings() {}

  public static Settings load(Map<String, String> environment, List<Setting<?>> declared) {
    Optional<Path> file = Optional.ofNullable(environment.get(Settings.CONFIG_FILE_ENV)).filter(s -> !s.isBlank()).map(Path::of);
    return Settings.load(declared, file, environment, Map.of());
  }
}
