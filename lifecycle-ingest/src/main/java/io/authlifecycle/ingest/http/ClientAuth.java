package io.authlifecycle.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.authlifecycle.core.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who is calling: a client certificate the TLS handshake verified (mTLS; the client is its CN), or a
 * bearer token. Tokens are kept as SHA-256 digests and every digest is compared in constant time,
 * so neither a token's content nor which client it belongs to leaks through timing.
 */
public final class ClientAuth {

  /** An authenticated caller: its id, and how it proved it. */
  public record Client(String id, String method) {}

  private record Token(String clientId, byte[] digest) {}

  private final List<Token> tokens;

  private ClientAuth(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Tokens from a properties file ({@code client-id=token}) and {@code client-id:token} entries. */
  public static ClientAuth of(Optional<Path> tokenFile, List<String> entries) {
    List<Token> tokens = new ArrayList<>();
    tokenFile.ifPresent(file -> {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      } catch (IOException e) {
        throw new ConfigException("ingest.tokens.file", "cannot read " + file + ": " + e.getMessage());
      }
      props.stringPropertyNames().stream().sorted()
          .forEach(client -> tokens.add(token(client, props.getProperty(client), "ingest.tokens.file")));
    });
    for (String entry : entries) {
      int colon = entry.indexOf(':');
      tokens.add(token(entry.substring(0, colon), entry.substring(colon + 1), "ingest.tokens"));
    }
    return new ClientAuth(List.copyOf(tokens));
  }

  private static Token token(String client, String secret, String key) {
    if (client.isBlank() || secret == null || secret.strip().length() < 16) {
      throw new ConfigException(key, "the token of client '" + client + "' must have at least 16 characters");
    }
    return new Token(client.strip(), sha256(secret.strip()));
  }

  public boolean hasTokens() {
    return !tokens.isEmpty();
  }

  /** The caller of an exchange, if it proved who it is. */
  public Optional<Client> authenticate(HttpExchange exchange) {
    Optional<Client> byCertificate = certificateClient(exchange);
    if (byCertificate.isPresent()) {
      return byCertificate;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return bearer(header.substring(7).strip());
  }

  /** The client a presented bearer token belongs to. */
  Optional<Client> bearer(String presented) {
    byte[] digest = sha256(presented);
    String match = null;
    // No early exit: every comparison runs whatever matched before.
    for (Token token : tokens) {
      if (MessageDigest.isEqual(digest, token.digest()) && match == null) {
        match = token.clientId();
      }
    }
    return Optional.ofNullable(match).map(id -> new Client(id, "bearer"));
  }

  private static Optional<Client> certificateClient(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https) || https.getSSLSession() == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = https.getSSLSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate cert) {
        return commonName(cert).map(cn -> new Client(cn, "mtls"));
      }
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate: the bearer token decides.
    }
    return Optional.empty();
  }

  static Optional<String> commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().toUpperCase(Locale.ROOT).equals("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
