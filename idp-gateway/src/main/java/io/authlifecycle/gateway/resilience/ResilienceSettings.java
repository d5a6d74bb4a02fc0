package io.authlifecycle.gateway.resilience;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.time.Duration;
import java.util.List;

/** How hard the gateway leans on the IdP: rate, retries, the circuit breaker and the bulkhead. */
public record ResilienceSettings(int callsPerSecond, int maxAttempts, Duration initialBackoff,
    Duration maxBackoff, Duration maxRetryAfter, int breakerWindow, int breakerMinimumCalls,
    float breakerFailureRate, Duration breakerOpenWait, int bulkheadConcurrency, Duration bulkheadWait) {

  public static final Setting<Integer> RATE = Setting.integer("gateway.rate-limit.calls-per-second", 10,
      "IdP calls per second, across commands and event polling (hosted admin APIs allow about this).")
      .validate(n -> n >= 1 && n <= 10_000, "must be between 1 and 10000");
  public static final Setting<Integer> ATTEMPTS = Setting.integer("gateway.retry.max-attempts", 5,
      "Attempts per IdP call for timeouts, 5xx and 429 before the command fails (or waits, if the IdP is down).")
      .validate(n -> n >= 1 && n <= 20, "must be between 1 and 20");
  public static final Setting<Duration> INITIAL_BACKOFF = Setting.duration("gateway.retry.initial-backoff", "200ms",
      "First retry pause; doubles each attempt, with +/-50% jitter.").validate(d -> d.toMillis() >= 1, "must be at least 1ms");
  public static final Setting<Duration> MAX_BACKOFF = Setting.duration("gateway.retry.max-backoff", "10s",
      "Longest pause between two attempts (also caps an honoured Retry-After).")
      .validate(d -> d.toMillis() >= 1, "must be at least 1ms");
  public static final Setting<Duration> MAX_RETRY_AFTER = Setting.duration("gateway.retry.max-retry-after", "60s",
      "Longest Retry-After honoured; a longer one is cut to this.").validate(d -> d.toMillis() >= 1, "must be at least 1ms");
  public static final Setting<Integer> BREAKER_WINDOW = Setting.integer("gateway.breaker.window", 10,
      "Calls the circuit breaker judges the IdP's health on.").validate(n -> n >= 1, "must be positive");
  public static final Setting<Integer> BREAKER_MINIMUM = Setting.integer("gateway.breaker.minimum-calls", 3,
      "Calls in the window before the breaker may open.").validate(n -> n >= 1, "must be positive");
  public static final Setting<Integer> BREAKER_RATE = Setting.integer("gateway.breaker.failure-rate-percent", 50,
      "Failure rate (timeouts, 5xx, unreachable) that opens the breaker and pauses consumption.")
      .validate(n -> n >= 1 && n <= 100, "must be between 1 and 100");
  public static final Setting<Duration> BREAKER_OPEN_WAIT = Setting.duration("gateway.breaker.open-wait", "10s",
      "How long the breaker stays open before a trial call may close it and resume consumption.")
      .validate(d -> d.toMillis() >= 10, "must be at least 10ms");
  public static final Setting<Integer> BULKHEAD = Setting.integer("gateway.bulkhead.max-concurrent", 4,
      "Concurrent IdP calls at most.").validate(n -> n >= 1, "must be positive");
  public static final Setting<Duration> BULKHEAD_WAIT = Setting.duration("gateway.bulkhead.max-wait", "30s",
      "How long a call waits for a bulkhead slot.");

  public static final List<Setting<?>> ALL = List.of(RATE, ATTEMPTS, INITIAL_BACKOFF, MAX_BACKOFF, MAX_RETRY_AFTER,
      BREAKER_WINDOW, BREAKER_MINIMUM, BREAKER_RATE, BREAKER_OPEN_WAIT, BULKHEAD, BULKHEAD_WAIT);

  public static ResilienceSettings from(Settings s) {
    return new ResilienceSettings(s.get(RATE), s.get(ATTEMPTS), s.get(INITIAL_BACKOFF), s.get(MAX_BACKOFF),
        s.get(MAX_RETRY_AFTER), s.get(BREAKER_WINDOW), s.get(BREAKER_MINIMUM), s.get(BREAKER_RATE),
        s.get(BREAKER_OPEN_WAIT), s.get(BULKHEAD), s.get(BULKHEAD_WAIT));
  }
}
