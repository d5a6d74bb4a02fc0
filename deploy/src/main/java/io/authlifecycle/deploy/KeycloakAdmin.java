package io.authlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The Keycloak Admin REST API as the master realm's administrator: what the local stack sets up and reads. */
public final class KeycloakAdmin {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final String username;
  private final String password;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  public KeycloakAdmin(String url, String username, String password) {
    this.url = url;
    this.username = username;
    this.password = password;
  }

  public String url() {
    return url;
  }

  /** GET of an Admin API path (under {@code /admin/realms}); 404 gives a missing node. */
  public JsonNode get(String path) {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() == 404) {
      return JSON.missingNode();
    }
    return body(expect(r, "GET", path, 200));
  }

  /** POST, PUT or DELETE of an Admin API path; any 2xx is success. */
  public JsonNode send(String method, String path, Object body, String what) {
    HttpResponse<String> r = send(method, path, body);
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(what + ": " + method + " " + path + " answered " + r.statusCode() + " " + r.body());
    }
    return body(r);
  }

  /** A password grant at a realm's public client: opens a session for the user, as a sign-in does. */
  public void signIn(String realm, String client, String user, String userPassword) {
    HttpResponse<String> r = post(url + "/realms/" + realm + "/protocol/openid-connect/token", Map.of("grant_type", "password",
        "client_id", client, "username", user, "password", userPassword, "scope", "openid"));
    expect(r, "sign-in of", user, 200);
  }

  private HttpResponse<String> send(String method, String path, Object body) {
    HttpResponse<String> r = sendOnce(method, path, body);
    if (r.statusCode() == 401) {
      token = null;
      r = sendOnce(method, path, body);
    }
    return r;
  }

  private HttpResponse<String> sendOnce(String method, String path, Object body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/admin/realms" + path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token())
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Keycloak at " + url + " did not answer " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String token() {
    if (token == null) {
      HttpResponse<String> r = post(url + "/realms/master/protocol/openid-connect/token", Map.of("grant_type", "password",
          "client_id", "admin-cli", "username", username, "password", password));
      token = body(expect(r, "administrator sign-in as", username, 200)).path("access_token").asText();
    }
    return token;
  }

  private HttpResponse<String> post(String to, Map<String, String> form) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(to)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
              .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"))))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Keycloak at " + url + " did not answer " + to, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static HttpResponse<String> expect(HttpResponse<String> r, String what, String which, int status) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + " " + which + " answered " + r.statusCode() + ": " + r.body());
    }
    return r;
  }

  private static JsonNode body(HttpResponse<String> r) {
    try {
      return r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
