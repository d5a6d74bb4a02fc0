package io.authlifecycle.deploy;

import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's own secrets, kept in its data folder (owner-readable only) so restarts keep
 * them: each component's audit checkpoint signing key under {@code keys/}, with the public keys the
 * verifier needs listed in {@code keys/writer-keys.txt}, and the bearer token of the query routes in
 * {@code http/query-token}. Every component is started with its own key and the token.
 */
final class LocalSecrets {

  private final Path keys;
  private final Path queryToken;

  private LocalSecrets(Path keys, Path queryToken) {
    this.keys = keys;
    this.queryToken = queryToken;
  }

  /** Creates what is missing for these components; existing keys and the token are kept. */
  static LocalSecrets prepare(Path dataDir, List<String> components) throws IOException {
    LocalSecrets secrets = new LocalSecrets(dataDir.resolve("keys"), dataDir.resolve("http").resolve("query-token"));
    StringBuilder publicKeys = new StringBuilder("# The local stack's audit writers and their checkpoint keys, for\n"
        + "# bin/lifecyclectl audit verify --writer-keys " + secrets.writerKeys() + "\n");
    for (String component : components) {
      Path file = secrets.keyOf(component);
      WriterKeyFile key;
      if (Files.exists(file)) {
        key = WriterKeyFile.read(file);
      } else {
        key = WriterKeyFile.generate(component);
        key.writeNew(file);
      }
      publicKeys.append(key.publicEntry()).append('\n');
    }
    Files.writeString(secrets.writerKeys(), publicKeys.toString());
    if (!Files.exists(secrets.queryToken)) {
      byte[] token = new byte[32];
      new SecureRandom().nextBytes(token);
      OwnerOnlyFiles.writeNew(secrets.queryToken, Base64.getUrlEncoder().withoutPadding().encodeToString(token) + "\n");
    }
    return secrets;
  }

  /** The settings that hand a component its key and the query token. */
  Map<String, String> settingsOf(String component) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(CheckpointSettings.SIGNING_KEY.key(), keyOf(component).toString());
    settings.put(CoreSettings.HTTP_QUERY_TOKEN_FILE.key(), queryToken.toString());
    return settings;
  }

  Path writerKeys() {
    return keys.resolve("writer-keys.txt");
  }

  Path queryToken() {
    return queryToken;
  }

  private Path keyOf(String component) {
    return keys.resolve(component + ".key");
  }
}
