package io.authlifecycle.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.gateway.idp.IdpException;
import io.authlifecycle.gateway.idp.IdpException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Admin REST API over {@link HttpClient}: a client-credentials token kept until it expires,
 * JSON in and out, and every failure turned into an {@link IdpException} of the right kind. A 404
 * is returned to the caller, which knows whether it means "unknown user" or "already gone".
 */
final class KeycloakHttp {

  /** A response the caller judges: status and parsed body (null when empty). */
  record Response(int status, JsonNode body) {
    boolean notFound() {
      return status == 404;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakSettings settings;
  private final HttpClient http;
  private final String adminBase;
  private String token;
  private Instant tokenExpiry = Instant.EPOCH;

  KeycloakHttp(KeycloakSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    this.adminBase = settings.url() + "/admin/realms/" + encode(settings.realm());
  }

  /** GET {@code path} under the realm's admin base. */
  Response get(String path, Map<String, String> query) {
    String q = query.isEmpty() ? "" : "?" + query.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    return send("GET", path + q, null);
  }

  Response send(String method, String path, Object body) {
    Response r = once(method, path, body);
    if (r.status() == 401) {
      // The token may have been revoked or expired early: log in again, once.
      synchronized (this) {
        tokenExpiry = Instant.EPOCH;
      }
      r = once(method, path, body);
      if (r.status() == 401) {
        throw new IdpException(Kind.UNAVAILABLE, "Keycloak refused the gateway's service-account token (401)");
      }
    }
    if (r.status() == 403) {
      throw new IdpException(Kind.UNAVAILABLE, "the gateway's service account lacks a realm-management role for "
          + method + " " + path + " (403)");
    }
    return r;
  }

  private Response once(String method, String path, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminBase + path))
        .timeout(settings.requestTimeout())
        .header("Authorization", "Bearer " + token())
        .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(write(body)));
    }
    HttpResponse<String> response = exchange(request.build(), method + " " + path);
    return new Response(response.statusCode(), parse(response.body()));
  }

  private synchronized String token() {
    if (token != null && Instant.now().isBefore(tokenExpiry)) {
      return token;
    }
    String form = "grant_type=client_credentials&client_id=" + encode(settings.clientId())
        + "&client_secret=" + encode(settings.clientSecret());
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/realms/" + encode(settings.realm())
            + "/protocol/openid-connect/token"))
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> response = exchange(request, "token request");
    if (response.statusCode() != 200) {
      // A wrong secret is not a command's fault: wait (breaker open) until it is fixed.
      throw new IdpException(Kind.UNAVAILABLE, "the gateway could not log in to realm " + settings.realm()
          + " as client " + settings.clientId() + " (HTTP " + response.statusCode() + ")");
    }
    JsonNode json = parse(response.body());
    token = json.path("access_token").asText();
    long lifetime = json.path("expires_in").asLong(60);
    tokenExpiry = Instant.now().plusSeconds(Math.max(5, lifetime - 10));
    return token;
  }

  /** Sends and classifies: unreachable, throttled and server errors become exceptions. */
  private HttpResponse<String> exchange(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IdpException(Kind.UNAVAILABLE, "Keycloak unreachable on " + what + ": " + e, Optional.empty(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdpException(Kind.UNAVAILABLE, "interrupted during " + what, Optional.empty(), e);
    }
    int status = response.statusCode();
    String message = "Keycloak answered HTTP " + status + " to " + what + body(response);
    if (status == 429) {
      throw new IdpException(Kind.THROTTLED, message, retryAfter(response), null);
    }
    if (status == 502 || status == 503 || status == 504) {
      throw new IdpException(Kind.UNAVAILABLE, message, retryAfter(response), null);
    }
    if (status >= 500) {
      throw new IdpException(Kind.SERVER_ERROR, message);
    }
    if (status >= 400 && status != 401 && status != 403 && status != 404 && request.uri().getPath().contains("/admin/")) {
      throw new IdpException(Kind.REJECTED, message);
    }
    return response;
  }

  /** Retry-After as delta-seconds or an HTTP date. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(KeycloakHttp::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String raw) {
    String value = raw.strip();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
    } catch (NumberFormatException e) {
      try {
        Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException unparsable) {
        return Optional.empty();
      }
    }
  }

  private static String body(HttpResponse<String> response) {
    String b = response.body() == null ? "" : response.body().strip();
    return b.isEmpty() ? "" : ": " + (b.length() > 200 ? b.substring(0, 200) + "..." : b);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IdpException(Kind.SERVER_ERROR, "Keycloak answered something that is not JSON: " + e.getMessage());
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
