package io.authlifecycle.gateway.resilience;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.gateway.idp.Applied;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.idp.IdpException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every IdP call goes through here: retry (exponential backoff with jitter, honouring Retry-After)
 * around a circuit breaker around a rate limiter around a bulkhead. The outcome of a command says
 * whether it was applied, failed for good, or has to wait because the IdP is down.
 */
public final class ResilientIdp {

  private static final Logger LOG = LoggerFactory.getLogger(ResilientIdp.class);
  static final String NAME = "idp";

  /** What became of one command. */
  public sealed interface Attempt permits Done, Failed, Wait {
    int attempts();
  }

  /** Applied at the IdP. */
  public record Done(Applied applied, int attempts) implements Attempt {}

  /** Refused for good, or still failing after every retry while the IdP is otherwise healthy. */
  public record Failed(IdpException error, int attempts) implements Attempt {
    public boolean exhausted() {
      return error.retryable();
    }
  }

  /** The IdP is down (or the breaker is open): the command waits, nothing is decided. */
  public record Wait(String reason, int attempts) implements Attempt {}

  private final IdentityProviderClient idp;
  private final CircuitBreaker breaker;
  private final RateLimiter rateLimiter;
  private final Bulkhead bulkhead;
  private final Retry retry;

  public ResilientIdp(IdentityProviderClient idp, ResilienceSettings s, MeterRegistry meters) {
    this.idp = idp;
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(s.breakerWindow())
        .minimumNumberOfCalls(Math.min(s.breakerMinimumCalls(), s.breakerWindow()))
        .failureRateThreshold(s.breakerFailureRate())
        .waitDurationInOpenState(s.breakerOpenWait())
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        // A refused command (404, 400) says the IdP is healthy; throttling is the rate limiter's business.
        .recordException(e -> e instanceof IdpException ie && ie.idpUnhealthy())
        .ignoreExceptions(BulkheadFullException.class, RequestNotPermitted.class)
        .build());
    RateLimiterRegistry limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
        .limitForPeriod(s.callsPerSecond())
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ofMinutes(1))
        .build());
    BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
        .maxConcurrentCalls(s.bulkheadConcurrency())
        .maxWaitDuration(s.bulkheadWait())
        .build());
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(s.initialBackoff(), 2.0, 0.5, s.maxBackoff());
    IntervalBiFunction<Object> interval = (attempt, result) -> {
      if (result.isLeft() && result.getLeft() instanceof IdpException ie && ie.retryAfter().isPresent()) {
        Duration wait = ie.retryAfter().get();
        return Math.max(0, Math.min(wait.toMillis(), s.maxRetryAfter().toMillis()));
      }
      return backoff.apply(attempt);
    };
    RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
        .maxAttempts(s.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(e -> e instanceof IdpException ie && ie.retryable())
        .failAfterMaxAttempts(false)
        .build());
    this.breaker = breakers.circuitBreaker(NAME);
    this.rateLimiter = limiters.rateLimiter(NAME);
    this.bulkhead = bulkheads.bulkhead(NAME);
    this.retry = retries.retry(NAME);
    breaker.getEventPublisher().onStateTransition(e ->
        LOG.warn("IdP circuit breaker {} ({})", e.getStateTransition(), idp.name()));
    retry.getEventPublisher().onRetry(e ->
        LOG.info("IdP call retry {} in {} after: {}", e.getNumberOfRetryAttempts(), e.getWaitInterval(),
            e.getLastThrowable() == null ? "-" : e.getLastThrowable().getMessage()));
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(meters);
    TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
  }

  /** Applies a command through every guard. */
  public Attempt apply(AuthenticatorCommand command) {
    return attempt(() -> idp.apply(command));
  }

  /** Any change at the IdP (a ticket opened or closed) through every guard, judged as a command is. */
  public Attempt attempt(Supplier<Applied> change) {
    AtomicInteger attempts = new AtomicInteger();
    try {
      return new Done(call(() -> {
        attempts.incrementAndGet();
        return change.get();
      }), attempts.get());
    } catch (CallNotPermittedException e) {
      return new Wait("circuit breaker open: the IdP failed recently", attempts.get());
    } catch (BulkheadFullException | RequestNotPermitted e) {
      return new Wait(e.getMessage(), attempts.get());
    } catch (IdpException e) {
      // Unreachable, or failing while the breaker judges the whole IdP unhealthy: not this command's fault.
      if (e.kind() == IdpException.Kind.UNAVAILABLE || breaker.getState() != CircuitBreaker.State.CLOSED) {
        return new Wait(e.getMessage(), attempts.get());
      }
      return new Failed(e, attempts.get());
    }
  }

  /** Runs any IdP call (event polling) through the same guards; exceptions pass through. */
  public <T> T call(Supplier<T> call) {
    Supplier<T> guarded = Bulkhead.decorateSupplier(bulkhead, call);
    guarded = RateLimiter.decorateSupplier(rateLimiter, guarded);
    guarded = CircuitBreaker.decorateSupplier(breaker, guarded);
    return Retry.decorateSupplier(retry, guarded).get();
  }

  /**
   * When the breaker is half-open, makes the trial call; true once the breaker is closed again
   * (consumption may resume).
   */
  public boolean tryClose() {
    if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
      try {
        breaker.executeRunnable(() -> RateLimiter.decorateRunnable(rateLimiter, idp::probe).run());
      } catch (RuntimeException e) {
        LOG.info("IdP trial call failed, breaker stays open: {}", e.getMessage());
      }
    }
    return breaker.getState() == CircuitBreaker.State.CLOSED;
  }

  /** Whether commands should be taken at all. */
  public boolean open() {
    CircuitBreaker.State state = breaker.getState();
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN
        || state == CircuitBreaker.State.FORCED_OPEN;
  }

  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  public IdentityProviderClient client() {
    return idp;
  }
}
