package io.authlifecycle.core.streams;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic ids: the same causing event and purpose always give the same id, so appliers can de-duplicate. */
public final class Ids {

  private Ids() {}

  /** A name-based UUID over the parts, joined with a separator no id contains. */
  public static String derive(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
