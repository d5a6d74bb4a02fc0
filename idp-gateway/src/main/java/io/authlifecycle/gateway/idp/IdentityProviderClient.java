package io.authlifecycle.gateway.idp;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.FactorType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One identity provider as the gateway sees it: applies a command, opens and closes the
 * enrollment a ticket allows, proves it answers, and reports bindings made on its side. Failures
 * are {@link IdpException}s that say whether to retry.
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

  /** The IdP's enrollment action for the first of these factor types it can enroll, if any. */
  default Optional<String> enrollmentAction(List<FactorType> allowed) {
    return Optional.empty();
  }

  /** Lets the subject enroll through {@code action} (re-enabling a disabled user when asked). */
  default Applied openEnrollment(String subjectId, String action, boolean enableUser) {
    throw new IdpException(IdpException.Kind.UNSUPPORTED, name() + " cannot open an enrollment");
  }

  /** Takes these enrollment actions away from the subject. */
  default Applied closeEnrollment(String subjectId, Collection<String> actions) {
    throw new IdpException(IdpException.Kind.UNSUPPORTED, name() + " cannot close an enrollment");
  }

  /** A cheap call that succeeds only if the IdP answers (the circuit breaker's half-open trial). */
  void probe();

  /** Authenticators bound at the IdP since {@code since} (inclusive), oldest first. */
  default List<Binding> bindingsSince(Instant since) {
    return List.of();
  }

  @Override
  default void close() {}
}
