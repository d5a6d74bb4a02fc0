package io.authlifecycle.gateway.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link KeycloakServer} per test JVM, started by the first class that needs it and stopped
 * when the test run ends. Where Keycloak cannot run (no distribution, no Java 21+), the classes
 * using it are skipped with the reason printed.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

  /** Closes the server with the root store at the end of the run. */
  private record Shared(KeycloakServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> reason = KeycloakServer.unavailableReason();
    if (reason.isPresent()) {
      System.out.println("SKIPPED Keycloak tests in " + context.getDisplayName() + ": " + reason.get());
      Assumptions.abort("Keycloak cannot run here: " + reason.get());
    }
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KeycloakServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  private static KeycloakServer server(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Shared.class, k -> {
      try {
        return new Shared(KeycloakServer.start());
      } catch (Exception e) {
        throw new IllegalStateException("cannot start Keycloak", e);
      }
    }, Shared.class).server();
  }
}
