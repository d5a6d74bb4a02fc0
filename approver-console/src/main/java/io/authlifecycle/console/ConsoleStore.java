package io.authlifecycle.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the console keeps between restarts, in one JSON file written atomically on every change:
 * the passkeys enrolled through it ({@code person.keys} entries), the enrollment links already
 * used, its audit chain heads (it never takes one from the audit topic) and the passkeys' sign-in
 * signature counters.
 */
final class ConsoleStore {

  /** The file's content. */
  static final class Data {
    public List<String> enrolled = new ArrayList<>();
    public Set<String> usedLinks = new LinkedHashSet<>();
    public Map<String, Long> auditSequence = new LinkedHashMap<>();
    public Map<String, String> auditHash = new LinkedHashMap<>();
    public Map<String, Long> signCounters = new LinkedHashMap<>();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Data data;

  ConsoleStore(Path dir) {
    try {
      Files.createDirectories(dir);
      file = dir.resolve("console-state.json");
      data = Files.exists(file) ? JSON.readValue(file.toFile(), Data.class) : new Data();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's state in " + dir, e);
    }
  }

  synchronized <T> T read(java.util.function.Function<Data, T> reader) {
    return reader.apply(data);
  }

  /** Changes the data and writes it before returning. */
  synchronized <T> T update(java.util.function.Function<Data, T> change) {
    T result = change.apply(data);
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), data);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the console's state " + file, e);
    }
    return result;
  }
}
