package io.authlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.core.approvals.EnrollLinks;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The approver console in the local stack: its URL ({@code http://localhost:port}, a secure context
 * for WebAuthn) given to the console and the recovery worker as the passkey origin, its data folder,
 * an enrollment secret made once, and the passkeys enrolled in it so far, which the stack registers
 * with the recovery worker at its next start (what operators do by hand elsewhere).
 */
final class ConsolePlacement {

  static final String NAME = "approver-console";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int port;

  ConsolePlacement(Path dataDir, int port) {
    this.dir = dataDir.resolve("console");
    this.port = port;
  }

  String url() {
    return "http://localhost:" + port;
  }

  /** The settings of the console and of the recovery worker that concern it. */
  Map<String, String> settings() throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("webauthn.rp-id", "localhost");
    settings.put("webauthn.origins", url());
    settings.put("console.data-dir", dir.toString());
    settings.put("console.enroll.secret", secret());
    return settings;
  }

  /** The person.keys lines of the passkeys enrolled in this console (none before its first start). */
  List<String> enrolled() throws IOException {
    Path state = dir.resolve("console-state.json");
    List<String> out = new ArrayList<>();
    if (Files.exists(state)) {
      JsonNode enrolled = JSON.readTree(state.toFile()).path("enrolled");
      enrolled.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  /** A single-use enrollment link, as {@code lifecyclectl console enroll-link} prints it. */
  String enrollLink(Person person, Role role) throws IOException {
    return url() + "/enroll?token=" + EnrollLinks.mint(secret(), person, Set.of(role), Duration.ofHours(24), Instant.now());
  }

  Path secretFile() {
    return dir.resolve("enroll.secret");
  }

  private String secret() throws IOException {
    Path file = secretFile();
    if (!Files.exists(file)) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      OwnerOnlyFiles.writeNew(file, HexFormat.of().formatHex(secret));
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }
}
