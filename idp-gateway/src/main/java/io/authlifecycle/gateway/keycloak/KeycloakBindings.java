package io.authlifecycle.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.gateway.idp.Binding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds authenticators bound in Keycloak from its event log: user events {@code UPDATE_CREDENTIAL}
 * (a user completed CONFIGURE_TOTP, registered a passkey or generated recovery codes) and admin
 * events creating a user (an import that carried credentials). Events carry no credential id, so
 * the user's credentials created since the window's start are the bindings.
 */
final class KeycloakBindings {

  private static final Pattern USER_PATH = Pattern.compile("users/([^/]+)");
  private static final int PAGE = 500;

  private final KeycloakHttp http;
  private final KeycloakUsers users;
  private final Set<String> hardwareAaguids;

  KeycloakBindings(KeycloakHttp http, KeycloakUsers users, Set<String> hardwareAaguids) {
    this.http = http;
    this.users = users;
    this.hardwareAaguids = hardwareAaguids;
  }

  List<Binding> since(Instant since) {
    String from = String.valueOf(since.toEpochMilli());
    Set<String> userIds = new LinkedHashSet<>();
    JsonNode userEvents = http.get("/events", Map.of("type", "UPDATE_CREDENTIAL", "dateFrom", from,
        "max", String.valueOf(PAGE))).body();
    if (userEvents != null) {
      userEvents.forEach(e -> userIds.add(e.path("userId").asText()));
    }
    JsonNode adminEvents = http.get("/admin-events", Map.of("operationTypes", "CREATE", "dateFrom", from,
        "max", String.valueOf(PAGE))).body();
    if (adminEvents != null) {
      adminEvents.forEach(e -> {
        Matcher m = USER_PATH.matcher(e.path("resourcePath").asText());
        if (m.matches()) {
          userIds.add(m.group(1));
        }
      });
    }
    List<Binding> bindings = new ArrayList<>();
    for (String userId : userIds) {
      if (userId.isBlank()) {
        continue;
      }
      Optional<JsonNode> user = users.byId(userId);
      Optional<String> subject = user.flatMap(users::subjectOf);
      if (subject.isEmpty()) {
        continue;
      }
      JsonNode credentials = http.get("/users/" + KeycloakHttp.encode(userId) + "/credentials", Map.of()).body();
      if (credentials == null) {
        continue;
      }
      credentials.forEach(c -> {
        String kind = c.path("type").asText();
        Optional<FactorType> type = KeycloakFactors.factorType(c, hardwareAaguids);
        Instant created = Instant.ofEpochMilli(c.path("createdDate").asLong(0));
        if (type.isPresent() && !created.isBefore(since)) {
          bindings.add(new Binding(subject.get(), c.path("id").asText(), type.get(), created,
              KeycloakFactors.enrolledBy(kind).orElse(kind), null, KeycloakFactors.deviceAttribution(kind), evidence(c)));
        }
      });
    }
    bindings.sort(Comparator.comparing(Binding::boundAt));
    return bindings;
  }

  /** What the factor type was judged on: the credential type, and for WebAuthn the attestation format and AAGUID. */
  private static String evidence(JsonNode credential) {
    String type = credential.path("type").asText();
    if (!type.startsWith(KeycloakFactors.WEBAUTHN)) {
      return "credential type " + type;
    }
    return "credential type " + type + ", attestation " + KeycloakFactors.attestationFormat(credential) + ", AAGUID "
        + KeycloakFactors.aaguid(credential).orElse("none");
  }
}
