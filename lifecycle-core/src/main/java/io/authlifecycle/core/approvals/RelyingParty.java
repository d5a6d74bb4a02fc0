package io.authlifecycle.core.approvals;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The WebAuthn relying party passkey signatures are made for: its RP id (the domain the passkeys
 * are scoped to) and the origins a browser may sign from (the approver console's). The recovery
 * worker and the console read the same two settings.
 */
public record RelyingParty(String rpId, Set<String> origins) {

  public static final Setting<String> RP_ID = Setting.string("webauthn.rp-id", "localhost",
      "WebAuthn relying party id: the domain passkeys are registered for (the console's host name or a parent domain).")
      .validate(s -> !s.isBlank() && !s.contains(":") && !s.contains("/"), "must be a host name, without scheme or port");
  public static final Setting<List<String>> ORIGINS = Setting.list("webauthn.origins", "",
      "Origins a passkey signature may come from (the approver console's URL, e.g. https://console.example.com), "
          + "comma-separated; blank: passkey signatures are refused.")
      .validate(RelyingParty::validOrigins, "each must be an origin: scheme, host and optional port, no path");

  public RelyingParty {
    origins = Set.copyOf(origins);
  }

  public static RelyingParty from(Settings settings) {
    return new RelyingParty(settings.get(RP_ID), Set.copyOf(settings.get(ORIGINS)));
  }

  public static List<Setting<?>> settings() {
    return List.of(RP_ID, ORIGINS);
  }

  private static boolean validOrigins(List<String> origins) {
    for (String origin : origins) {
      try {
        URI uri = URI.create(origin);
        if (uri.getScheme() == null || uri.getHost() == null || !(uri.getPath() == null || uri.getPath().isEmpty())
            || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return true;
  }
}
