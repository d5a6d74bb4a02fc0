package io.authlifecycle.gateway.idp;

import io.authlifecycle.avro.AuthenticatorCommand;
import java.time.Instant;
import java.util.List;

/**
 * One identity provider as the gateway sees it: applies a command, proves it answers, and reports
 * bindings made on its side. Failures are {@link IdpException}s that say whether to retry.
 */
public interface IdentityProviderClient extends AutoCloseable {

  /** Short name for logs, metrics and the {@code source} field of facts, e.g. {@code keycloak}. */
  String name();

  /** Whether this client only reports what it would have done. */
  default boolean dryRun() {
    return false;
  }

  /** Applies one command; throws {@link IdpException} when it cannot. */
  Applied apply(AuthenticatorCommand command);

  /** A cheap call that succeeds only if the IdP answers (the circuit breaker's half-open trial). */
  void probe();

  /** Authenticators bound at the IdP since {@code since} (inclusive), oldest first. */
  default List<Binding> bindingsSince(Instant since) {
    return List.of();
  }

  @Override
  default void close() {}
}
