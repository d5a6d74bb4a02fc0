package io.authlifecycle.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.ingest.IngestSettings;
import io.authlifecycle.ingest.RunningIngest;
import io.authlifecycle.ingest.testing.TestIngest;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest over HTTPS with client certificates: a certificate from the trusted CA authenticates
 * its CN without a token, a token still works without a certificate, neither is refused (401), and
 * a certificate from another CA does not get in. Certificates are made with the JDK's keytool.
 */
class MutualTlsIT {

  private static final String PASSWORD = "changeit";

  @TempDir
  Path dir;

  private RunningIngest ingest;

  @BeforeEach
  void start() throws Exception {
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test-ca",
        "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
    keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
    keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12", "-noprompt");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12");
    keytool("-exportcert", "-alias", "server", "-keystore", "server.p12", "-rfc", "-file", "server.pem");
    keytool("-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "client-trust.p12", "-noprompt");
    keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=intune-relay",
        "-validity", "2", "-keystore", "client.p12");
    keytool("-certreq", "-alias", "client", "-keystore", "client.p12", "-file", "client.csr");
    keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "client.csr", "-outfile", "client.pem", "-rfc");
    keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "client.p12", "-noprompt");
    keytool("-importcert", "-alias", "client", "-file", "client.pem", "-keystore", "client.p12");
    keytool("-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=intune-relay",
        "-validity", "2", "-keystore", "rogue.p12");
    int nobody;
    try (ServerSocket socket = new ServerSocket(0)) {
      nobody = socket.getLocalPort();
    }
    // The discovery endpoint needs no Kafka: authentication is all this test is about.
    ingest = TestIngest.start("127.0.0.1:" + nobody, Map.of(
        IngestSettings.TLS_KEYSTORE.key(), dir.resolve("server.p12").toString(),
        IngestSettings.TLS_KEYSTORE_PASSWORD.key(), PASSWORD,
        IngestSettings.TLS_TRUSTSTORE.key(), dir.resolve("trust.p12").toString(),
        IngestSettings.TLS_TRUSTSTORE_PASSWORD.key(), PASSWORD));
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  @Test
  void aClientCertificateFromTheTrustedCaAuthenticatesWithoutAToken() throws Exception {
    HttpResponse<String> withCertificate = get(client("client.p12"), null);
    HttpResponse<String> withToken = get(client(null), TestIngest.TOKEN);
    HttpResponse<String> withNeither = get(client(null), null);

    assertThat(ingest.baseUrl()).startsWith("https://");
    assertThat(withCertificate.statusCode()).isEqualTo(200);
    assertThat(withCertificate.body()).contains("\"type\":\"x509\"");
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(withNeither.statusCode()).isEqualTo(401);
    // A certificate the trusted CA did not issue is not sent (the server names its CAs), or not accepted.
    assertThat(statusOrRefused(client("rogue.p12"))).isEqualTo(401);
  }

  private int statusOrRefused(HttpClient http) throws Exception {
    try {
      return get(http, null).statusCode();
    } catch (IOException e) {
      return 401;
    }
  }

  private HttpResponse<String> get(HttpClient http, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/scim/v2/ServiceProviderConfig"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpClient client(String keyStore) throws Exception {
    KeyManagerFactory keys = null;
    if (keyStore != null) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keyStore), PASSWORD.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load("client-trust.p12"));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private KeyStore load(String name) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(name))) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("keytool %s: %s", String.join(" ", args), output).isZero();
  }
}
