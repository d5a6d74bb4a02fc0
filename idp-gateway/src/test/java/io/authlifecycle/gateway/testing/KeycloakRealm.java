package io.authlifecycle.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The test realm in a {@link KeycloakServer}: a confidential {@code idp-gateway} client whose
 * service account holds realm-management roles, a public login client, users (created by partial
 * import, with OTP credentials), and the Admin API reads tests verify through.
 */
public final class KeycloakRealm {

  public static final String NAME = "authn-test";
  public static final String CLIENT_ID = "idp-gateway";
  public static final String CLIENT_SECRET = "gateway-test-secret";
  public static final String LOGIN_CLIENT = "test-login";
  /** The user attribute subject ids are mapped by. */
  public static final String SUBJECT_ATTRIBUTE = "employeeId";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();
  private String token;

  private KeycloakRealm(String url) {
    this.url = url;
  }

  static KeycloakRealm create(String url) throws Exception {
    KeycloakRealm realm = new KeycloakRealm(url);
    Map<String, Object> rep = Map.of(
        "realm", NAME, "enabled", true, "eventsEnabled", true, "adminEventsEnabled", true,
        "clients", List.of(
            Map.of("clientId", CLIENT_ID, "enabled", true, "publicClient", false, "secret", CLIENT_SECRET,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false),
            Map.of("clientId", LOGIN_CLIENT, "enabled", true, "publicClient", true, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", true, "redirectUris", List.of("http://127.0.0.1/callback"))),
        "users", List.of(Map.of("username", "service-account-" + CLIENT_ID, "enabled", true,
            "serviceAccountClientId", CLIENT_ID,
            "clientRoles", Map.of("realm-management", List.of("manage-users", "view-users", "query-users", "view-events")))));
    realm.admin("POST", "/admin/realms", rep, 201);
    // Expose attributes the profile does not declare, so the gateway can map users back to subjects.
    realm.setField("/admin/realms/" + NAME + "/users/profile", "unmanagedAttributePolicy", "ENABLED");
    return realm;
  }

  /** Settings that point the gateway's Keycloak adapter at this realm. */
  public Map<String, String> gatewaySettings() {
    return Map.of("gateway.adapter", "keycloak", "keycloak.url", url, "keycloak.realm", NAME,
        "keycloak.client-id", CLIENT_ID, "keycloak.client-secret", CLIENT_SECRET,
        "keycloak.user-attribute", SUBJECT_ATTRIBUTE);
  }

  /** Creates (or replaces) a user with a password, {@code otp} OTP credentials and required actions; returns its id. */
  public String addUser(String username, String subjectId, String password, int otp, List<String> requiredActions)
      throws Exception {
    List<Map<String, Object>> credentials = new ArrayList<>();
    credentials.add(Map.of("type", "password", "value", password));
    for (int i = 1; i <= otp; i++) {
      credentials.add(Map.of("type", "otp", "userLabel", "authenticator app " + i,
          "secretData", "{\"value\":\"" + otpSecret(i) + "\"}",
          "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}"));
    }
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("username", username);
    user.put("enabled", true);
    user.put("email", username + "@example.com");
    user.put("emailVerified", true);
    user.put("firstName", username);
    user.put("lastName", "Test");
    user.put("attributes", Map.of(SUBJECT_ATTRIBUTE, List.of(subjectId)));
    user.put("requiredActions", requiredActions);
    // As a user created in the console: the realm's default roles (offline_access among them).
    user.put("realmRoles", List.of("default-roles-" + NAME));
    user.put("credentials", credentials);
    JsonNode result = admin("POST", "/admin/realms/" + NAME + "/partialImport",
        Map.of("ifResourceExists", "OVERWRITE", "users", List.of(user)), 200);
    return result.path("results").path(0).path("id").asText();
  }

  public JsonNode user(String userId) throws Exception {
    return admin("GET", "/admin/realms/" + NAME + "/users/" + userId, null, 200);
  }

  /** The user's credentials as the Admin API lists them. */
  public List<JsonNode> credentials(String userId) throws Exception {
    List<JsonNode> list = new ArrayList<>();
    admin("GET", "/admin/realms/" + NAME + "/users/" + userId + "/credentials", null, 200).forEach(list::add);
    return list;
  }

  /** Ids of the user's credentials of one type. */
  public List<String> credentialIds(String userId, String type) throws Exception {
    return credentials(userId).stream().filter(c -> c.path("type").asText().equals(type))
        .map(c -> c.path("id").asText()).toList();
  }

  public int sessions(String userId) throws Exception {
    return admin("GET", "/admin/realms/" + NAME + "/users/" + userId + "/sessions", null, 200).size();
  }

  public List<String> requiredActions(String userId) throws Exception {
    List<String> actions = new ArrayList<>();
    user(userId).path("requiredActions").forEach(a -> actions.add(a.asText()));
    return actions;
  }

  /** Sets the user's required actions as an administrator would. */
  public void setRequiredActions(String userId, List<String> actions) throws Exception {
    admin("PUT", "/admin/realms/" + NAME + "/users/" + userId, Map.of("requiredActions", actions), 204);
  }

  public boolean enabled(String userId) throws Exception {
    return user(userId).path("enabled").asBoolean();
  }

  /** Offline sessions of the user at the login client (what offline tokens stand on). */
  public int offlineSessions(String userId) throws Exception {
    String client = admin("GET", "/admin/realms/" + NAME + "/clients?clientId=" + LOGIN_CLIENT, null, 200).path(0).path("id").asText();
    return admin("GET", "/admin/realms/" + NAME + "/users/" + userId + "/offline-sessions/" + client, null, 200).size();
  }

  /** Signs in with the password grant (and the first OTP app's next code) asking for offline access; returns the offline token. */
  public String offlineTokenWithOtp(String username, String password) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/realms/" + NAME + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("grant_type", "password", "client_id", LOGIN_CLIENT, "username", username, "password", password,
            "scope", "openid offline_access", "totp", totp(otpSecret(1), 1))))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("offline login of " + username + " failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).path("refresh_token").asText();
  }

  /** Uses a refresh or offline token; returns the HTTP status (200: it still works). */
  public int refresh(String refreshToken) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "/realms/" + NAME + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("grant_type", "refresh_token", "client_id", LOGIN_CLIENT, "refresh_token", refreshToken)))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /**
   * The realm's passkey (passwordless WebAuthn) policy: the attestation conveyance Keycloak asks
   * the authenticator for ({@code direct} keeps the AAGUID the gateway judges hardware keys by).
   */
  public void passkeyAttestation(String conveyance) throws Exception {
    ObjectNode rep = (ObjectNode) admin("GET", "/admin/realms/" + NAME, null, 200);
    rep.put("webAuthnPolicyPasswordlessAttestationConveyancePreference", conveyance);
    admin("PUT", "/admin/realms/" + NAME, rep, 204);
  }

  /** The raw secret of the {@code i}-th OTP credential {@link #addUser} gives a user (from 1). */
  public static String otpSecret(int i) {
    return "JBSWY3DPEHPK3PX" + i;
  }

  /** A one-line picture of the user in Keycloak, for the tests' before/after lines. */
  public String describe(String userId) throws Exception {
    JsonNode u = user(userId);
    List<String> credentials = credentials(userId).stream().map(c -> c.path("type").asText()).toList();
    return "enabled=" + u.path("enabled").asBoolean() + " credentials=" + credentials + " requiredActions="
        + requiredActions(userId) + " sessions=" + sessions(userId) + " offlineSessions=" + offlineSessions(userId);
  }

  /** Logs the user in with the password grant, which opens a session. */
  public void login(String username, String password) throws Exception {
    login(username, password, Map.of());
  }

  /** As {@link #login(String, String)} for a user with the first OTP app {@link #addUser} gave. */
  public void loginWithOtp(String username, String password) throws Exception {
    login(username, password, Map.of("totp", totp(otpSecret(1))));
  }

  private void login(String username, String password, Map<String, String> extra) throws Exception {
    Map<String, String> fields = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id", LOGIN_CLIENT,
        "username", username, "password", password));
    fields.putAll(extra);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/realms/" + NAME + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(fields))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login of " + username + " failed: " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * Signs in through the browser flow and completes the CONFIGURE_TOTP required action with a
   * code computed from the secret the page shows: the user binds an OTP app in Keycloak.
   */
  public String enrollTotp(String username, String password) throws Exception {
    return enrollTotp(username, password, null);
  }

  /**
   * As {@link #enrollTotp(String, String)} for a user who already has an OTP app (its secret
   * given): the login asks for that app's code, then for CONFIGURE_TOTP itself ({@code kc_action}),
   * as the account console's "set up authenticator app" does. Returns the new app's secret.
   */
  public String enrollTotp(String username, String password, String existingSecret) throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new PlainHttpCookies())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    String page = browser.send(HttpRequest.newBuilder(URI.create(url + "/realms/" + NAME
        + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id=" + LOGIN_CLIENT
        + (existingSecret != null ? "&kc_action=CONFIGURE_TOTP" : "")
        + "&redirect_uri=" + URLEncoder.encode("http://127.0.0.1/callback", StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String totpPage = browser.send(HttpRequest.newBuilder(URI.create(formAction(page)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("username", username, "password", password))).build(), HttpResponse.BodyHandlers.ofString()).body();
    if (existingSecret != null) {
      // The next period's code: Keycloak accepts one period ahead, and the current one may have been used.
      totpPage = browser.send(HttpRequest.newBuilder(URI.create(formAction(totpPage)))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(form(Map.of("otp", totp(existingSecret, 1)))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
    Matcher secret = Pattern.compile("name=\"totpSecret\" value=\"([^\"]+)\"").matcher(totpPage);
    if (!secret.find()) {
      throw new IllegalStateException("no CONFIGURE_TOTP page for " + username);
    }
    HttpClient noRedirects = HttpClient.newBuilder().cookieHandler(browser.cookieHandler().orElseThrow()).build();
    HttpResponse<String> done = noRedirects.send(HttpRequest.newBuilder(URI.create(formAction(totpPage)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("totp", totp(secret.group(1)), "totpSecret", secret.group(1),
            "userLabel", existingSecret == null ? "phone" : "second phone")))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 302) {
      throw new IllegalStateException("CONFIGURE_TOTP for " + username + " answered " + done.statusCode());
    }
    return secret.group(1);
  }

  void forgetToken() {
    token = null;
  }

  JsonNode admin(String method, String path, Object body, int expected) throws Exception {
    HttpResponse<String> r = adminOnce(method, path, body);
    if (r.statusCode() == 401) {
      token = null;
      r = adminOnce(method, path, body);
    }
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
  }

  private HttpResponse<String> adminOnce(String method, String path, Object body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String adminToken() throws IOException, InterruptedException {
    if (token == null) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/realms/master/protocol/openid-connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", KeycloakServer.ADMIN,
              "password", KeycloakServer.ADMIN_PASSWORD))).build(), HttpResponse.BodyHandlers.ofString());
      token = JSON.readTree(r.body()).path("access_token").asText();
    }
    return token;
  }

  private static String formAction(String page) {
    Matcher m = Pattern.compile("action=\"([^\"]+)\"").matcher(page);
    if (!m.find()) {
      throw new IllegalStateException("no form on the page");
    }
    return m.group(1).replace("&amp;", "&");
  }

  private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
    return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
  }

  /** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) over the raw secret Keycloak shows. */
  static String totp(String secret) throws GeneralSecurityException {
    return totp(secret, 0);
  }

  /** The code {@code periodsAhead} periods from now. */
  public static String totp(String secret, int periodsAhead) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    long counter = System.currentTimeMillis() / 1000 / 30 + periodsAhead;
    byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(counter).array());
    int offset = hash[hash.length - 1] & 0xf;
    int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
    return String.format("%06d", binary % 1_000_000);
  }

  /** Read-modify-write of one JSON field. */
  void setField(String path, String field, String value) throws Exception {
    ObjectNode node = (ObjectNode) admin("GET", path, null, 200);
    node.put(field, value);
    admin("PUT", path, node, 200);
  }

  /**
   * Keycloak marks its login cookies Secure even on plain http; the JDK's CookieManager then never
   * sends them to 127.0.0.1. This one keeps name=value per cookie and always sends them back.
   */
  private static final class PlainHttpCookies extends CookieHandler {
    private final Map<String, String> cookies = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
      if (cookies.isEmpty()) {
        return Map.of();
      }
      return Map.of("Cookie", List.of(cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; "))));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
      responseHeaders.forEach((name, values) -> {
        if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
          for (String value : values) {
            String pair = value.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
              String cookie = pair.substring(0, eq).strip();
              if (value.contains("Max-Age=0")) {
                cookies.remove(cookie);
              } else {
                cookies.put(cookie, pair.substring(eq + 1).strip());
              }
            }
          }
        }
      });
    }
  }
}
