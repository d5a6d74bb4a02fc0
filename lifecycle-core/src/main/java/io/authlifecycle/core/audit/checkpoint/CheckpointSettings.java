package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The settings of a component's audit checkpoints: its signing key, how often and how large. */
public final class CheckpointSettings {

  private CheckpointSettings() {}

  public static final Setting<String> SIGNING_KEY = Setting.optionalString("audit.signing-key",
      "Key file this component signs its audit checkpoints with (from lifecyclectl audit keygen; owner-readable only). "
          + "Blank: no checkpoints, and the verifier cannot tell this component's records from a forger's.");
  public static final Setting<Duration> INTERVAL = Setting.duration("audit.checkpoint.interval", "1m",
      "How often each task signs a checkpoint of the chains it changed, an empty one too.")
      .validate(d -> d.toMillis() >= 100, "must be at least 100ms");
  public static final Setting<Integer> MAX_HEADS = Setting.integer("audit.checkpoint.max-heads", 1000,
      "Most chain heads in one checkpoint: a task that changed this many chains signs one at once.")
      .validate(n -> n >= 1 && n <= 10_000, "must be between 1 and 10000");

  public static final List<Setting<?>> ALL = List.of(SIGNING_KEY, INTERVAL, MAX_HEADS);

  private static final Map<Path, WriterKeyFile> READ = new ConcurrentHashMap<>();

  private static WriterKeyFile read(Path file) {
    try {
      return WriterKeyFile.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The component's key, if one is set; a key that cannot be read or is another component's fails
   * start-up. Read once per file: every task of the component signs with the same key.
   */
  public static Optional<WriterKeyFile> signingKey(Settings settings, String component) {
    String file = settings.get(SIGNING_KEY).strip();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    WriterKeyFile key;
    try {
      key = READ.computeIfAbsent(Path.of(file).toAbsolutePath(), CheckpointSettings::read);
    } catch (UncheckedIOException e) {
      throw new ConfigException(SIGNING_KEY.key(), e.getCause().getMessage());
    }
    if (!WriterKeys.vouchesFor(key.writer(), component)) {
      throw new ConfigException(SIGNING_KEY.key(), file + " is the key of " + key.writer() + ", not of " + component);
    }
    return Optional.of(key);
  }
}
