package io.authlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The realm the local stack's gateway administers, set up as the idp-gateway README tells an
 * operator: a confidential client with a service account holding the realm-management roles the
 * gateway needs, user and admin events saved, subjects mapped by the {@code employeeId} attribute;
 * and a public client the demo signs its users in through.
 */
public final class LocalRealm {

  public static final String NAME = "authn-lifecycle";
  public static final String GATEWAY_CLIENT = "idp-gateway";
  public static final String LOGIN_CLIENT = "lifecycle-local";
  public static final String SUBJECT_ATTRIBUTE = "employeeId";
  static final List<String> GATEWAY_ROLES = List.of("manage-users", "view-users", "query-users", "view-events");

  private LocalRealm() {}

  /** Creates the realm unless it exists; returns the gateway client's secret (kept owner-only in {@code dir}). */
  public static String ensure(KeycloakAdmin admin, Path dir) throws IOException {
    Path secrets = dir.resolve("realm.properties");
    if (admin.get("/" + NAME).isMissingNode()) {
      String secret = newSecret();
      Map<String, Object> rep = new LinkedHashMap<>();
      rep.put("realm", NAME);
      rep.put("enabled", true);
      // The gateway finds bindings in the user and admin events: keep them longer than any outage of the stack.
      rep.put("eventsEnabled", true);
      rep.put("eventsExpiration", 7 * 24 * 3600);
      rep.put("adminEventsEnabled", true);
      rep.put("clients", List.of(
          Map.of("clientId", GATEWAY_CLIENT, "enabled", true, "publicClient", false, "secret", secret,
              "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false),
          Map.of("clientId", LOGIN_CLIENT, "enabled", true, "publicClient", true, "directAccessGrantsEnabled", true,
              "standardFlowEnabled", false)));
      rep.put("users", List.of(Map.of("username", "service-account-" + GATEWAY_CLIENT, "enabled", true,
          "serviceAccountClientId", GATEWAY_CLIENT, "clientRoles", Map.of("realm-management", GATEWAY_ROLES))));
      admin.send("POST", "", rep, "create realm " + NAME);
      // The subject id lives in an attribute the user profile does not declare: let the Admin API show and search it.
      ObjectNode profile = (ObjectNode) admin.get("/" + NAME + "/users/profile");
      profile.put("unmanagedAttributePolicy", "ENABLED");
      admin.send("PUT", "/" + NAME + "/users/profile", profile, "user profile of " + NAME);
      keep(secrets, "secret", secret);
      return secret;
    }
    String kept = read(secrets, "secret");
    if (kept != null) {
      return kept;
    }
    String client = admin.get("/" + NAME + "/clients?clientId=" + GATEWAY_CLIENT).path(0).path("id").asText();
    String secret = admin.get("/" + NAME + "/clients/" + client + "/client-secret").path("value").asText();
    keep(secrets, "secret", secret);
    return secret;
  }

  /** Settings that point the gateway at this realm. */
  public static Map<String, String> gatewaySettings(String url, String secret) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("gateway.adapter", "keycloak");
    settings.put("keycloak.url", url);
    settings.put("keycloak.realm", NAME);
    settings.put("keycloak.client-id", GATEWAY_CLIENT);
    settings.put("keycloak.client-secret", secret);
    settings.put("keycloak.user-attribute", SUBJECT_ATTRIBUTE);
    return settings;
  }

  /** Users for these subjects (username and employeeId the subject id), with a password and no second factor. */
  public static void addUsers(KeycloakAdmin admin, List<String> subjects, String password) {
    List<Map<String, Object>> users = new ArrayList<>();
    for (String subject : subjects) {
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("username", subject);
      user.put("enabled", true);
      user.put("email", subject + "@example.com");
      user.put("emailVerified", true);
      user.put("firstName", subject.replaceAll("-.*", ""));
      user.put("lastName", "Demo");
      user.put("attributes", Map.of(SUBJECT_ATTRIBUTE, List.of(subject)));
      user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
      user.put("realmRoles", List.of("default-roles-" + NAME));
      users.add(user);
    }
    admin.send("POST", "/" + NAME + "/partialImport", Map.of("ifResourceExists", "SKIP", "users", users),
        "import the demo's users");
  }

  /** Signs a user in with the password (a session, as after a sign-in at work). */
  public static void signIn(KeycloakAdmin admin, String subject, String password) {
    admin.signIn(NAME, LOGIN_CLIENT, subject, password);
  }

  /** The Keycloak user id of a subject, if there is one. */
  static String userIdOf(KeycloakAdmin admin, String subject) {
    JsonNode found = admin.get("/" + NAME + "/users?exact=true&briefRepresentation=true&q=" + SUBJECT_ATTRIBUTE + ":" + subject);
    return found.size() == 1 ? found.get(0).path("id").asText() : null;
  }

  /** The demo users' password: made once, kept owner-only in {@code dir}. */
  public static String demoPassword(Path dir) throws IOException {
    Path file = dir.resolve("realm.properties");
    String kept = read(file, "demo-password");
    if (kept != null) {
      return kept;
    }
    String password = newSecret().substring(0, 12);
    keep(file, "demo-password", password);
    return password;
  }

  private static String newSecret() {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  private static String read(Path file, String key) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    }
    return props.getProperty(key);
  }

  private static void keep(Path file, String key, String value) throws IOException {
    Properties props = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      }
    }
    props.setProperty(key, value);
    StringWriter text = new StringWriter();
    props.store(text, "the local realm " + NAME + ": the gateway client's secret and the demo users' password");
    OwnerOnlyFiles.write(file, text.toString());
  }
}
