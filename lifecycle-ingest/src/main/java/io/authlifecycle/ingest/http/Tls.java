package io.authlifecycle.ingest.http;

import io.authlifecycle.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The server's TLS context from PKCS12 stores: its own key, and the CAs whose client certificates it trusts. */
public final class Tls {

  private Tls() {}

  public static SSLContext context(Path keyStore, String keyPassword, Optional<Path> trustStore, String trustPassword) {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keyStore, keyPassword, "ingest.tls.keystore"), keyPassword.toCharArray());
      TrustManagerFactory trust = null;
      if (trustStore.isPresent()) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore.get(), trustPassword, "ingest.tls.truststore"));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("ingest.tls.keystore", "cannot set up TLS: " + e.getMessage());
    }
  }

  private static KeyStore load(Path file, String password, String key) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    }
  }
}
