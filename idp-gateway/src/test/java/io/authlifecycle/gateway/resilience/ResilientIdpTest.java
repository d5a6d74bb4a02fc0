package io.authlifecycle.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.gateway.idp.Applied;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.idp.IdpException;
import io.authlifecycle.gateway.idp.IdpException.Kind;
import io.authlifecycle.gateway.testing.TestGateway;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ResilientIdpTest {

  private static final AuthenticatorCommand COMMAND = TestGateway.revokeAll("s-1", "hr-1");
  private static final Applied OK = Applied.nothingRemoved("done");

  /** An IdP that answers from a script, then succeeds; it counts the calls that reached it. */
  private static final class ScriptedIdp implements IdentityProviderClient {
    final Deque<Supplier<Applied>> script = new ArrayDeque<>();
    int calls;
    boolean probeFails;

    ScriptedIdp failing(int times, Kind kind) {
      for (int i = 0; i < times; i++) {
        script.add(() -> {
          throw new IdpException(kind, kind + " from the script");
        });
      }
      return this;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public Applied apply(AuthenticatorCommand command) {
      calls++;
      return script.isEmpty() ? OK : script.poll().get();
    }

    @Override
    public void probe() {
      if (probeFails) {
        throw new IdpException(Kind.UNAVAILABLE, "still down");
      }
    }
  }

  private static ResilienceSettings settings(int attempts, int window, int minimumCalls) {
    return new ResilienceSettings(1000, attempts, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(1),
        window, minimumCalls, 50, Duration.ofMillis(200), 2, Duration.ofSeconds(1));
  }

  @Test
  void retriesServerErrorsAndReportsTheAttemptsItTook() {
    ScriptedIdp idp = new ScriptedIdp().failing(2, Kind.SERVER_ERROR);
    ResilientIdp resilient = new ResilientIdp(idp, settings(5, 100, 100), new SimpleMeterRegistry());

    assertThat(resilient.apply(COMMAND)).isEqualTo(new ResilientIdp.Done(OK, 3));
  }

  @Test
  void aPermanentRefusalIsNotRetried() {
    ScriptedIdp idp = new ScriptedIdp().failing(1, Kind.UNKNOWN_SUBJECT);
    ResilientIdp resilient = new ResilientIdp(idp, settings(5, 100, 100), new SimpleMeterRegistry());

    ResilientIdp.Attempt attempt = resilient.apply(COMMAND);

    assertThat(attempt).isInstanceOf(ResilientIdp.Failed.class);
    assertThat(((ResilientIdp.Failed) attempt).exhausted()).isFalse();
    assertThat(idp.calls).isEqualTo(1);
    assertThat(resilient.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void serverErrorsOnOneCommandWhileTheIdpIsOtherwiseHealthyFailItAsRetriesExhausted() {
    ScriptedIdp idp = new ScriptedIdp().failing(3, Kind.SERVER_ERROR);
    ResilientIdp resilient = new ResilientIdp(idp, settings(3, 100, 100), new SimpleMeterRegistry());

    ResilientIdp.Attempt attempt = resilient.apply(COMMAND);

    assertThat(attempt).isInstanceOf(ResilientIdp.Failed.class);
    assertThat(((ResilientIdp.Failed) attempt).exhausted()).isTrue();
    assertThat(attempt.attempts()).isEqualTo(3);
  }

  @Test
  void anUnreachableIdpMakesTheCommandWaitAndOpensTheBreakerSoLaterCommandsDoNotCallIt() {
    ScriptedIdp idp = new ScriptedIdp().failing(10, Kind.UNAVAILABLE);
    ResilientIdp resilient = new ResilientIdp(idp, settings(5, 10, 3), new SimpleMeterRegistry());

    ResilientIdp.Attempt first = resilient.apply(COMMAND);
    int callsAfterFirst = idp.calls;
    ResilientIdp.Attempt second = resilient.apply(COMMAND);

    assertThat(first).isInstanceOf(ResilientIdp.Wait.class);
    assertThat(callsAfterFirst).isEqualTo(3);
    assertThat(second).isEqualTo(new ResilientIdp.Wait("circuit breaker open: the IdP failed recently", 0));
    assertThat(idp.calls).isEqualTo(3);
    assertThat(resilient.open()).isTrue();
  }

  @Test
  void aSuccessfulTrialCallWhenHalfOpenClosesTheBreakerAndAFailedOneKeepsItOpen() throws Exception {
    ScriptedIdp idp = new ScriptedIdp().failing(3, Kind.UNAVAILABLE);
    ResilientIdp resilient = new ResilientIdp(idp, settings(3, 10, 3), new SimpleMeterRegistry());
    resilient.apply(COMMAND);
    idp.probeFails = true;
    awaitHalfOpen(resilient);

    boolean closedWhileDown = resilient.tryClose();
    CircuitBreaker.State afterFailedTrial = resilient.breakerState();
    idp.probeFails = false;
    awaitHalfOpen(resilient);
    boolean closedWhenBack = resilient.tryClose();

    assertThat(closedWhileDown).isFalse();
    assertThat(afterFailedTrial).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(closedWhenBack).isTrue();
    assertThat(resilient.apply(COMMAND)).isEqualTo(new ResilientIdp.Done(OK, 1));
  }

  @Test
  void throttlingDoesNotCountAgainstTheIdpsHealth() {
    ScriptedIdp idp = new ScriptedIdp();
    for (int i = 0; i < 4; i++) {
      idp.script.add(() -> {
        throw new IdpException(Kind.THROTTLED, "429", Optional.of(Duration.ZERO), null);
      });
    }
    ResilientIdp resilient = new ResilientIdp(idp, settings(5, 3, 3), new SimpleMeterRegistry());

    assertThat(resilient.apply(COMMAND)).isEqualTo(new ResilientIdp.Done(OK, 5));
    assertThat(resilient.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  private static void awaitHalfOpen(ResilientIdp resilient) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (resilient.breakerState() != CircuitBreaker.State.HALF_OPEN) {
      assertThat(System.nanoTime()).as("breaker half-open").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

}
