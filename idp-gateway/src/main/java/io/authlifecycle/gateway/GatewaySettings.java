package io.authlifecycle.gateway;

import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.gateway.idp.DryRunClient;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.keycloak.KeycloakClient;
import io.authlifecycle.gateway.keycloak.KeycloakSettings;
import io.authlifecycle.gateway.resilience.ResilienceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The gateway's own settings: which adapter applies commands, and how the loop consumes. */
public final class GatewaySettings {

  private GatewaySettings() {}

  public static final String DRY_RUN = "dry-run";
  public static final String KEYCLOAK = "keycloak";

  public static final Setting<String> ADAPTER = Setting.string("gateway.adapter", DRY_RUN,
      "Which IdP adapter applies commands: dry-run (applies nothing, reports what it would do) or keycloak.")
      .validate(Set.of(DRY_RUN, KEYCLOAK)::contains, "one of [dry-run, keycloak]");
  public static final Setting<Integer> MAX_POLL_RECORDS = Setting.integer("gateway.poll.max-records", 20,
      "Commands taken per poll; each is applied and committed in its own transaction.")
      .validate(n -> n >= 1 && n <= 1000, "must be between 1 and 1000");
  public static final Setting<Duration> MAX_WAIT = Setting.duration("gateway.max-wait", "24h",
      "How long one command may wait for an unavailable IdP before it is dead-lettered as retries exhausted.")
      .validate(d -> d.toMillis() >= 1, "must be positive");
  public static final Setting<Duration> DEDUP_HORIZON = Setting.duration("gateway.dedup.horizon", "30d",
      "How long a handled command id is remembered (in the gateway's state topic) so a redelivered command is not applied again.")
      .validate(d -> d.toMinutes() >= 1, "must be at least 1m");
  public static final Setting<Duration> TICKETS_RETAIN = Setting.duration("gateway.tickets.retain-finished", "24h",
      "How long a used, expired or closed ticket is kept, so a binding the IdP reports late is still attributed to it.")
      .validate(d -> d.toMillis() >= 1000, "must be at least 1s");
  public static final Setting<Boolean> LEGACY_COMMANDS = Setting.bool("gateway.commands.legacy-topic", false,
      "Migration aid: also read the shared authn.commands.v1, where the issuer is only the self-declared issuedBy. "
          + "Off once every worker writes its own command topic.");
  public static final Setting<Duration> ONBOARDING_MAX_LIFETIME = Setting.duration("gateway.tickets.max-lifetime.onboarding",
      "8h", "Longest ONBOARDING ticket (expiresAt - notBefore) the gateway opens; the joiner's own cap is 8h.")
      .validate(d -> d.toMillis() >= 1000, "must be at least 1s");
  public static final Setting<Duration> REBIND_MAX_LIFETIME = Setting.duration("gateway.tickets.max-lifetime.rebind",
      "8h", "Longest REBIND ticket the gateway opens.").validate(d -> d.toMillis() >= 1000, "must be at least 1s");
  public static final Setting<Duration> RECOVERY_MAX_LIFETIME = Setting.duration("gateway.tickets.max-lifetime.recovery",
      "10m", "Longest RECOVERY ticket the gateway opens (NIST SP 800-63B-4 4.1.2.2: at most 10 minutes).")
      .validate(d -> d.toMillis() >= 1000 && d.toMinutes() <= 10, "must be between 1s and 10m");
  public static final Setting<Boolean> BINDINGS_ENABLED = Setting.bool("gateway.bindings.enabled", true,
      "Poll the IdP for authenticators bound there and report them as AuthenticatorBound facts.");
  public static final Setting<Duration> BINDINGS_INTERVAL = Setting.duration("gateway.bindings.poll-interval", "10s",
      "How often the IdP's events are polled for bindings.").validate(d -> d.toMillis() >= 100, "must be at least 100ms");

  /** Every setting the gateway reads beyond the core ones. */
  public static List<Setting<?>> own() {
    List<Setting<?>> all = new ArrayList<>(List.of(ADAPTER, MAX_POLL_RECORDS, MAX_WAIT, DEDUP_HORIZON, TICKETS_RETAIN, LEGACY_COMMANDS,
        ONBOARDING_MAX_LIFETIME, REBIND_MAX_LIFETIME, RECOVERY_MAX_LIFETIME, BINDINGS_ENABLED,
        BINDINGS_INTERVAL));
    all.addAll(ResilienceSettings.ALL);
    all.addAll(KeycloakSettings.ALL);
    return all;
  }

  /** Core, wire-format and own settings: what {@code main} loads. */
  public static List<Setting<?>> declared() {
    List<Setting<?>> all = new ArrayList<>(CoreSettings.ALL);
    all.addAll(SerdeSettings.ALL);
    all.addAll(own());
    return all;
  }

  /** Who may issue which tickets, and for how long; whether the shared migration topic is read. */
  static Provenance provenance(Settings settings) {
    return new Provenance(Map.of(
        TicketPurpose.ONBOARDING, new Provenance.TicketLimits("joiner-worker", settings.get(ONBOARDING_MAX_LIFETIME)),
        TicketPurpose.REBIND, new Provenance.TicketLimits("mover-worker", settings.get(REBIND_MAX_LIFETIME)),
        TicketPurpose.RECOVERY, new Provenance.TicketLimits("recovery-worker", settings.get(RECOVERY_MAX_LIFETIME))),
        settings.get(LEGACY_COMMANDS));
  }

  /** The consumer group (and transactional id prefix) of the gateway. */
  public static String groupId(Settings settings) {
    return settings.get(CoreSettings.APPLICATION_ID_PREFIX) + "-" + IdpGateway.NAME;
  }

  /** Builds the configured adapter; a bad Keycloak setting fails here, naming its key. */
  public static IdentityProviderClient adapter(Settings settings) {
    return switch (settings.get(ADAPTER)) {
      case KEYCLOAK -> new KeycloakClient(KeycloakSettings.from(settings));
      default -> new DryRunClient();
    };
  }
}
