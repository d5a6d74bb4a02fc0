package io.authlifecycle.e2e;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the run's broker once for every scenario class (stored in the root context, closed when
 * the run ends) and hands it to the scenarios as an {@link E2eKafka} parameter. It is resolved per
 * test, so a run that cannot have its broker (no Docker) reports each test as skipped with the
 * reason, rather than a class with no tests.
 */
public final class E2eBroker implements BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(E2eBroker.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == E2eKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  private static E2eKafka broker(ExtensionContext context) {
    // A skip (no Docker) is remembered too, so every later class skips with the same reason at once.
    Outcome outcome = context.getRoot().getStore(NAMESPACE).computeIfAbsent("broker", k -> Outcome.start(), Outcome.class);
    return outcome.broker();
  }

  /** The started broker, or why it could not start (rethrown to every class that asks). */
  private record Outcome(E2eKafka kafka, RuntimeException failure) implements AutoCloseable {

    static Outcome start() {
      try {
        return new Outcome(E2eKafka.start(), null);
      } catch (RuntimeException e) {
        return new Outcome(null, e);
      } catch (Exception e) {
        return new Outcome(null, new IllegalStateException("cannot start the e2e broker: " + e.getMessage(), e));
      }
    }

    E2eKafka broker() {
      if (failure != null) {
        throw failure;
      }
      return kafka;
    }

    @Override
    public void close() throws Exception {
      if (kafka != null) {
        kafka.close();
      }
    }
  }
}
