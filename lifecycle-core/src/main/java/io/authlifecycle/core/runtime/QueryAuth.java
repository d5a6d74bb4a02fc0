package io.authlifecycle.core.runtime;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The bearer token the query routes ({@code /subjects}) require: subjects' factors, channels,
 * approvers and open recoveries are served only to a caller that presents it. Compared in constant
 * time (both sides hashed first, so not even the length leaks). Without a token configured every
 * query is refused; {@code /health}, {@code /ready} and {@code /metrics} stay open.
 */
public final class QueryAuth {

  static final int MIN_LENGTH = 16;
  private static final String BEARER = "Bearer ";

  private final byte[] expected;
  private final String token;

  private QueryAuth(String token) {
    this.token = token;
    this.expected = token == null ? null : sha256(token);
  }

  /** From {@code http.query-token-file} (a mounted secret), else {@code http.query-token}; a bad file fails start-up. */
  public static QueryAuth from(Settings settings) {
    String file = settings.get(CoreSettings.HTTP_QUERY_TOKEN_FILE).strip();
    if (!file.isEmpty()) {
      String token;
      try {
        token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ConfigException(CoreSettings.HTTP_QUERY_TOKEN_FILE.key(), "cannot read " + file + ": " + e.getMessage());
      }
      if (token.length() < MIN_LENGTH) {
        throw new ConfigException(CoreSettings.HTTP_QUERY_TOKEN_FILE.key(), file + " holds fewer than " + MIN_LENGTH + " characters");
      }
      return new QueryAuth(token);
    }
    String token = settings.get(CoreSettings.HTTP_QUERY_TOKEN).strip();
    return new QueryAuth(token.isEmpty() ? null : token);
  }

  public static QueryAuth token(String token) {
    return new QueryAuth(token);
  }

  /** Refuses every query: no token is configured. */
  public static QueryAuth none() {
    return new QueryAuth(null);
  }

  public boolean configured() {
    return expected != null;
  }

  /** Whether an {@code Authorization} header value carries the token. */
  public boolean permits(String authorization) {
    if (expected == null || authorization == null || !authorization.startsWith(BEARER)) {
      return false;
    }
    return MessageDigest.isEqual(expected, sha256(authorization.substring(BEARER.length()).strip()));
  }

  /** The header value to present when forwarding a query to another instance. */
  public Optional<String> authorization() {
    return Optional.ofNullable(token).map(t -> BEARER + t);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
