package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.core.approvals.Ed25519;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.runtime.CoHostedWorkers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit writers' public keys the verifier trusts: {@code writer:base64-X.509} entries, from the
 * setting {@code audit.writer-keys} or a file with one entry a line ({@code #} starts a comment).
 * A writer's key also vouches for the writers named after it ({@code mover-worker} for
 * {@code mover-worker-device-intake}: one component, two audit chains).
 */
public final class WriterKeys {

  public static final Setting<List<String>> WRITER_KEYS = Setting.list("audit.writer-keys", "",
      "For the audit verifier: the writers' Ed25519 public keys, writer:base64-X.509,... (each component's public key "
          + "entry; the local stack lists them in DATA_DIR/keys/writer-keys.txt).")
      .validate(WriterKeys::parses, "each entry must be writer:base64 X.509 Ed25519 public key, each writer once");

  private final Map<String, PublicKey> keys;

  private WriterKeys(Map<String, PublicKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  public static WriterKeys parse(List<String> entries) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i).strip();
      int colon = entry.indexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new ConfigException(WRITER_KEYS.key(), "entry " + (i + 1) + " is not writer:base64-public-key");
      }
      String writer = entry.substring(0, colon).strip();
      try {
        if (keys.put(writer, Ed25519.decodePublic(entry.substring(colon + 1))) != null) {
          throw new ConfigException(WRITER_KEYS.key(), "writer " + writer + " is listed twice");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(WRITER_KEYS.key(), "entry " + (i + 1) + " (" + writer + "): " + e.getMessage());
      }
    }
    return new WriterKeys(keys);
  }

  /** Reads a key list file: one {@code writer:base64} entry a line, blank lines and {@code #} comments ignored. */
  public static WriterKeys read(Path file) throws IOException {
    List<String> entries = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String entry = line.strip();
      if (!entry.isEmpty() && !entry.startsWith("#")) {
        entries.add(entry);
      }
    }
    return parse(entries);
  }

  public static WriterKeys none() {
    return new WriterKeys(Map.of());
  }

  /** Both lists; an entry in {@code other} replaces one for the same writer here. */
  public WriterKeys and(WriterKeys other) {
    Map<String, PublicKey> all = new LinkedHashMap<>(keys);
    all.putAll(other.keys);
    return new WriterKeys(all);
  }

  public static String entry(String writer, PublicKey key) {
    return writer + ":" + Ed25519.encodePublic(key);
  }

  /** The signer whose key vouches for {@code writer}: the writer itself, or the component it is named after. */
  public Optional<String> signerOf(String writer) {
    if (keys.containsKey(writer)) {
      return Optional.of(writer);
    }
    return keys.keySet().stream().filter(signer -> vouchesFor(signer, writer))
        .max((a, b) -> Integer.compare(a.length(), b.length()));
  }

  /** The workers a co-hosting process ({@code CoHostedWorkers}) may run: the deciders and the OCSF feed. */
  static final List<String> HOSTABLE = List.of("joiner-worker", "mover-worker", "leaver-worker", "recovery-worker", "ocsf-feed");

  /**
   * Whether a checkpoint signed by {@code signer} may speak for {@code writer}'s chains. Co-hosted
   * workers share one process, principal and key, so the host's key speaks for the workers it can host
   * (never for the gateway, the ingest or the CLI).
   */
  public static boolean vouchesFor(String signer, String writer) {
    if (writer.equals(signer) || writer.startsWith(signer + "-")) {
      return true;
    }
    return signer.equals(CoHostedWorkers.DEFAULT_NAME) && HOSTABLE.stream().anyMatch(w -> writer.equals(w) || writer.startsWith(w + "-"));
  }

  public Optional<PublicKey> key(String signer) {
    return Optional.ofNullable(keys.get(signer));
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public java.util.Set<String> signers() {
    return keys.keySet();
  }

  private static boolean parses(List<String> entries) {
    try {
      parse(entries);
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }
}
