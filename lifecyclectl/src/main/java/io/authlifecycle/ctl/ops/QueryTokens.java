package io.authlifecycle.ctl.ops;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.ctl.WorkerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token {@code inspect} presents to {@code /subjects}: {@code --token-file}, else the
 * workers' own settings ({@code LIFECYCLE_HTTP_QUERY_TOKEN_FILE}, {@code LIFECYCLE_HTTP_QUERY_TOKEN},
 * or the file {@code LIFECYCLE_CONFIG_FILE} names), else, when asking the local stack, the token it
 * generated in its data folder.
 */
final class QueryTokens {

  private QueryTokens() {}

  static Optional<String> resolve(Path tokenFile, Map<String, String> environment, boolean localStack) {
    if (tokenFile != null) {
      return Optional.of(read(tokenFile));
    }
    Settings settings = WorkerSettings.load(environment, List.of(CoreSettings.HTTP_QUERY_TOKEN_FILE, CoreSettings.HTTP_QUERY_TOKEN));
    String file = settings.get(CoreSettings.HTTP_QUERY_TOKEN_FILE).strip();
    if (!file.isEmpty()) {
      return Optional.of(read(Path.of(file)));
    }
    String token = settings.get(CoreSettings.HTTP_QUERY_TOKEN).strip();
    if (!token.isEmpty()) {
      return Optional.of(token);
    }
    Path local = Path.of(environment.getOrDefault("LIFECYCLE_LOCAL_DIR", ".local"), "http", "query-token");
    return localStack && Files.isReadable(local) ? Optional.of(read(local)) : Optional.empty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the query token file " + file + ": " + e.getMessage(), e);
    }
  }
}
