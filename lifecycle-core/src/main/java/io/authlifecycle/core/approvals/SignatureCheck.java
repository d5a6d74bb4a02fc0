package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Checks a signature envelope against the person key registry: the key it names must be
 * registered, of the envelope's scheme and for the role the statement needs, and the signature
 * must verify over the statement as that key's person makes it. The person comes from the key,
 * never from a field of the signed record.
 */
public final class SignatureCheck {

  /** The outcome of one check. */
  public enum Verdict { VALID, UNSIGNED, UNKNOWN_KEY, WRONG_ROLE, UNSUPPORTED_SCHEME, INVALID }

  /**
   * The highest signature counter seen so far from each passkey, as the caller keeps it in its
   * state (0: none yet); key files have none.
   */
  @FunctionalInterface
  public interface SignCounters {
    /** No counter kept: any counter passes (a replayed assertion is still refused by its challenge). */
    SignCounters NONE = keyId -> 0L;

    long last(String keyId);
  }

  /** The verdict, the key when one was found, why, and a passkey's signature counter when it verified. */
  public record Result(Verdict verdict, Optional<RegisteredKey> key, String reason, OptionalLong signCount) {

    Result(Verdict verdict, Optional<RegisteredKey> key, String reason) {
      this(verdict, key, reason, OptionalLong.empty());
    }

    public boolean valid() {
      return verdict == Verdict.VALID;
    }

    /** The signing person, once the key is known. */
    public Optional<Person> person() {
      return key.map(RegisteredKey::person);
    }
  }

  private final PersonKeyRegistry registry;
  private final Map<SignatureScheme, SignatureVerifier> verifiers = new EnumMap<>(SignatureScheme.class);

  /** A check with the given verifiers; one per scheme. */
  public SignatureCheck(PersonKeyRegistry registry, List<SignatureVerifier> verifiers) {
    this.registry = registry;
    for (SignatureVerifier verifier : verifiers) {
      if (this.verifiers.put(verifier.scheme(), verifier) != null) {
        throw new IllegalArgumentException("two verifiers for " + verifier.scheme());
      }
    }
  }

  /** Key files only (ED25519): passkey signatures are refused as unsupported. */
  public static SignatureCheck ed25519(PersonKeyRegistry registry) {
    return new SignatureCheck(registry, List.of(new Ed25519Verifier()));
  }

  /** Key files and passkeys: ED25519 and WEBAUTHN, the latter for {@code relyingParty}. */
  public static SignatureCheck of(PersonKeyRegistry registry, RelyingParty relyingParty) {
    return new SignatureCheck(registry, List.of(new Ed25519Verifier(), new WebAuthnVerifier(relyingParty)));
  }

  public PersonKeyRegistry registry() {
    return registry;
  }

  /**
   * @param statement the canonical bytes of the statement as the key's person would have signed it
   */
  public Result check(SignatureEnvelope envelope, Role role, Function<Person, byte[]> statement) {
    return check(envelope, role, statement, SignCounters.NONE);
  }

  /**
   * @param statement the canonical bytes of the statement as the key's person would have signed it
   * @param counters the signature counters seen so far: a passkey assertion must carry a higher one
   */
  public Result check(SignatureEnvelope envelope, Role role, Function<Person, byte[]> statement, SignCounters counters) {
    if (envelope == null) {
      return new Result(Verdict.UNSIGNED, Optional.empty(), "no signature");
    }
    Optional<RegisteredKey> found = registry.key(envelope.getKeyId());
    if (found.isEmpty()) {
      return new Result(Verdict.UNKNOWN_KEY, Optional.empty(), "key " + envelope.getKeyId() + " is not registered");
    }
    RegisteredKey key = found.get();
    if (!key.may(role)) {
      return new Result(Verdict.WRONG_ROLE, found, "key " + key.keyId() + " of " + key.person() + " is registered for "
          + key.roles() + ", not " + role);
    }
    if (envelope.getScheme() != key.scheme()) {
      return new Result(Verdict.INVALID, found, "a " + envelope.getScheme() + " signature with the " + key.scheme()
          + " key " + key.keyId());
    }
    SignatureVerifier verifier = verifiers.get(key.scheme());
    if (verifier == null) {
      return new Result(Verdict.UNSUPPORTED_SCHEME, found, key.scheme() + " signatures are not verified by this build");
    }
    SignatureVerifier.Result verified = verifier.verify(key, statement.apply(key.person()), envelope,
        counters.last(key.keyId()));
    return new Result(verified.valid() ? Verdict.VALID : Verdict.INVALID, found, verified.reason(), verified.signCount());
  }
}
