package io.authlifecycle.console;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.core.approvals.Person;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in sessions (a random id in the cookie, a CSRF token per session, an idle timeout) and the
 * ceremonies in flight: a sign-in or enrollment challenge, or a decision awaiting its assertion.
 * Every ceremony is single-use and expires with {@link #CEREMONY_TTL}.
 */
final class Sessions {

  static final Duration CEREMONY_TTL = Duration.ofMinutes(2);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in person. */
  static final class Session {
    final String id;
    final Person person;
    final String csrf;
    volatile Instant lastSeen;

    Session(String id, Person person, String csrf, Instant lastSeen) {
      this.id = id;
      this.person = person;
      this.csrf = csrf;
      this.lastSeen = lastSeen;
    }
  }

  /**
   * A challenge handed out: for sign-in or enrollment the random bytes whose hash is the challenge;
   * for a decision the unsigned decision, its case nonce and the session it belongs to.
   */
  record Ceremony(String id, byte[] secret, String sessionId, ApprovalDecision decision, String nonce, String linkId,
      Instant expires) {}

  private final Clock clock;
  private final Duration idleTimeout;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Ceremony> ceremonies = new ConcurrentHashMap<>();

  Sessions(Clock clock, Duration idleTimeout) {
    this.clock = clock;
    this.idleTimeout = idleTimeout;
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  Session open(Person person) {
    Session s = new Session(random(32), person, random(32), clock.instant());
    sessions.put(s.id, s);
    return s;
  }

  /** The live session of a cookie value; an idle one is ended. */
  Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    Instant now = clock.instant();
    if (s == null) {
      return Optional.empty();
    }
    if (now.isAfter(s.lastSeen.plus(idleTimeout))) {
      sessions.remove(id);
      return Optional.empty();
    }
    s.lastSeen = now;
    return Optional.of(s);
  }

  void end(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  Ceremony start(byte[] secret, String sessionId, ApprovalDecision decision, String nonce, String linkId) {
    Ceremony c = new Ceremony(random(18), secret, sessionId, decision, nonce, linkId, clock.instant().plus(CEREMONY_TTL));
    ceremonies.put(c.id(), c);
    ceremonies.values().removeIf(old -> clock.instant().isAfter(old.expires()));
    return c;
  }

  /** Takes a ceremony once; a second take, or one after it expired, finds nothing. */
  Optional<Ceremony> take(String id) {
    Ceremony c = id == null ? null : ceremonies.remove(id);
    return c == null || clock.instant().isAfter(c.expires()) ? Optional.empty() : Optional.of(c);
  }

  Duration idleTimeout() {
    return idleTimeout;
  }
}
