package io.authlifecycle.gateway.idp;

import java.time.Duration;
import java.util.Optional;

/** A call to the IdP failed; the kind decides whether it is retried, waited out or dead-lettered. */
public final class IdpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Kind {
    /** Not reached at all: connection refused, timeout, 502/503/504, or the gateway's own login failed. */
    UNAVAILABLE,
    /** 429: the IdP asks us to slow down, possibly with Retry-After. */
    THROTTLED,
    /** The IdP answered with another 5xx. */
    SERVER_ERROR,
    /** The IdP refused the request (4xx other than 429). */
    REJECTED,
    /** No user at the IdP maps to the command's subject. */
    UNKNOWN_SUBJECT,
    /** The IdP has no way to do what the command asks. */
    UNSUPPORTED
  }

  private final Kind kind;
  private final transient Optional<Duration> retryAfter;

  public IdpException(Kind kind, String message) {
    this(kind, message, Optional.empty(), null);
  }

  public IdpException(Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /** Worth another attempt after a pause. */
  public boolean retryable() {
    return kind == Kind.UNAVAILABLE || kind == Kind.THROTTLED || kind == Kind.SERVER_ERROR;
  }

  /** Says the IdP itself is unhealthy: counted by the circuit breaker. */
  public boolean idpUnhealthy() {
    return kind == Kind.UNAVAILABLE || kind == Kind.SERVER_ERROR;
  }
}
