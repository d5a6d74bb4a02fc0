package io.authlifecycle.gateway.keycloak;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Where the Keycloak adapter finds Keycloak, who it logs in as, and how subjects map to users. */
public record KeycloakSettings(URI url, String realm, String clientId, String clientSecret, String userAttribute,
    Duration requestTimeout, Duration eventsLookback, Set<String> hardwareAaguids) {

  /** The value meaning "not set" for the client secret (a setting cannot default to blank). */
  public static final String UNSET = "unset";

  public static final Setting<String> URL = Setting.string("keycloak.url", "http://localhost:8180",
      "Base URL of Keycloak (no /admin, no realm), e.g. https://sso.example.com.")
      .validate(KeycloakSettings::httpUrl, "must be an http:// or https:// URL");
  public static final Setting<String> REALM = Setting.string("keycloak.realm", "authn-lifecycle",
      "The realm whose users the gateway administers; the service-account client lives there too.");
  public static final Setting<String> CLIENT_ID = Setting.string("keycloak.client-id", "idp-gateway",
      "Confidential client with a service account holding realm-management manage-users, view-users, view-events.");
  public static final Setting<String> CLIENT_SECRET = Setting.string("keycloak.client-secret", UNSET,
      "That client's secret; required with gateway.adapter=keycloak (prefer LIFECYCLE_KEYCLOAK_CLIENT_SECRET).");
  public static final Setting<String> USER_ATTRIBUTE = Setting.string("keycloak.user-attribute", "username",
      "How a subjectId finds its Keycloak user: 'username', 'email', or the name of a user attribute (e.g. employeeId).");
  public static final Setting<Duration> REQUEST_TIMEOUT = Setting.duration("keycloak.request-timeout", "10s",
      "Timeout of one Admin API request; a timeout is retried.").validate(d -> d.toMillis() >= 100, "must be at least 100ms");
  public static final Setting<Duration> EVENTS_LOOKBACK = Setting.duration("keycloak.events.lookback", "1h",
      "How far back the first poll of Keycloak's user and admin events looks for bindings after a start.");

  public static final Setting<List<String>> HARDWARE_AAGUIDS = Setting.list("keycloak.hardware-aaguids", "",
      "AAGUIDs (comma-separated) of the device-bound hardware authenticators the organisation issues: a WebAuthn credential "
          + "attested with one of them is a HARDWARE_PASSKEY, any other a SYNCED_PASSKEY. Needs attestation in the realm's "
          + "WebAuthn policy.").validate(l -> l.stream().allMatch(KeycloakSettings::uuid), "must be a comma-separated list of UUIDs");

  public static final List<Setting<?>> ALL = List.of(URL, REALM, CLIENT_ID, CLIENT_SECRET, USER_ATTRIBUTE,
      REQUEST_TIMEOUT, EVENTS_LOOKBACK, HARDWARE_AAGUIDS);

  /** Reads and checks the settings; a missing secret names its key. */
  public static KeycloakSettings from(Settings s) {
    String secret = s.get(CLIENT_SECRET);
    if (secret.equals(UNSET)) {
      throw new ConfigException(CLIENT_SECRET.key(), "required when gateway.adapter=keycloak; set it in the "
          + "properties file or as " + CLIENT_SECRET.environmentVariable());
    }
    String url = s.get(URL);
    return new KeycloakSettings(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
        s.get(REALM), s.get(CLIENT_ID), secret, s.get(USER_ATTRIBUTE), s.get(REQUEST_TIMEOUT), s.get(EVENTS_LOOKBACK),
        s.get(HARDWARE_AAGUIDS).stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
  }

  private static boolean uuid(String raw) {
    try {
      return UUID.fromString(raw).toString().equalsIgnoreCase(raw);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean httpUrl(String raw) {
    try {
      URI uri = URI.create(raw.strip());
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "KeycloakSettings[url=" + url + ", realm=" + realm + ", clientId=" + clientId + ", userAttribute=" + userAttribute + "]";
  }
}
