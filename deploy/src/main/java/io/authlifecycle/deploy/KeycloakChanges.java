package io.authlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.authlifecycle.avro.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * For the decision tail: after each record the IdP gateway audits (a command applied, a ticket
 * opened, used or expired), what Keycloak now holds for that subject compared with what it held
 * the last time, as one compact line read from the Admin API; nothing when nothing changed.
 */
public final class KeycloakChanges implements Function<SpecificRecord, List<String>> {

  static final String GATEWAY = "idp-gateway";

  /** What the tail shows of a Keycloak user. */
  public record UserState(boolean enabled, List<String> credentials, List<String> requiredActions, int sessions) {}

  private final KeycloakAdmin admin;
  private final Map<String, UserState> last = new ConcurrentHashMap<>();

  public KeycloakChanges(KeycloakAdmin admin) {
    this.admin = admin;
  }

  /** Takes the subject's state now as the one later lines compare with. */
  public void remember(String subject) {
    state(subject).ifPresent(s -> last.put(subject, s));
  }

  @Override
  public List<String> apply(SpecificRecord record) {
    if (!(record instanceof AuditEvent audit) || !GATEWAY.equals(audit.getWorker())) {
      return List.of();
    }
    String subject = audit.getSubjectId();
    Optional<UserState> now;
    try {
      now = state(subject);
    } catch (RuntimeException e) {
      return List.of(String.format("%-11s %s: cannot read Keycloak (%s)", "KEYCLOAK", subject, e.getMessage()));
    }
    if (now.isEmpty()) {
      return List.of();
    }
    UserState before = last.put(subject, now.get());
    return change(subject, before, now.get()).map(List::of).orElse(List.of());
  }

  /** The line for a change: only the parts that changed, "before → after"; the whole state when none was seen before. */
  static Optional<String> change(String subject, UserState before, UserState after) {
    if (after.equals(before)) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    if (before == null) {
      parts.add((after.enabled() ? "enabled" : "disabled") + ", credentials " + after.credentials()
          + ", required actions " + after.requiredActions() + ", sessions " + after.sessions());
    } else {
      if (before.enabled() != after.enabled()) {
        parts.add(after.enabled() ? "disabled → enabled" : "enabled → disabled");
      }
      if (!before.credentials().equals(after.credentials())) {
        parts.add("credentials " + before.credentials() + " → " + after.credentials());
      }
      if (!before.requiredActions().equals(after.requiredActions())) {
        parts.add("required actions " + before.requiredActions() + " → " + after.requiredActions());
      }
      if (before.sessions() != after.sessions()) {
        parts.add("sessions " + before.sessions() + " → " + after.sessions());
      }
    }
    return Optional.of(String.format("%-11s %s: %s", "KEYCLOAK", subject, String.join("; ", parts)));
  }

  private Optional<UserState> state(String subject) {
    String id = LocalRealm.userIdOf(admin, subject);
    if (id == null) {
      return Optional.empty();
    }
    String user = "/" + LocalRealm.NAME + "/users/" + id;
    JsonNode rep = admin.get(user);
    List<String> credentials = new ArrayList<>();
    admin.get(user + "/credentials").forEach(c -> credentials.add(c.path("type").asText()));
    List<String> actions = new ArrayList<>();
    rep.path("requiredActions").forEach(a -> actions.add(a.asText()));
    return Optional.of(new UserState(rep.path("enabled").asBoolean(), credentials, actions,
        admin.get(user + "/sessions").size()));
  }
}
