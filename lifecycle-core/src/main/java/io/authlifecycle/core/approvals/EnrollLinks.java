package io.authlifecycle.core.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Single-use enrollment links of the approver console: who may enroll a passkey (person, HR
 * subject, roles), until when, and a random id the console remembers once used; HMAC-SHA256 with
 * the enrollment secret the console and {@code lifecyclectl console enroll-link} share.
 */
public final class EnrollLinks {

  /** What a valid link grants. */
  public record Grant(String linkId, Person person, Set<Role> roles, Instant expires) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private EnrollLinks() {}

  /** A token for {@code person} with {@code roles}, valid for {@code ttl} from {@code now}. */
  public static String mint(String secret, Person person, Set<Role> roles, Duration ttl, Instant now) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String payload = B64.encodeToString(JSON.createObjectNode().put("id", B64.encodeToString(id))
        .put("person", person.personId()).put("hr", person.hrSubjectId())
        .put("roles", String.join("+", roles.stream().sorted().map(Role::name).toList()))
        .put("exp", now.plus(ttl).getEpochSecond()).toString().getBytes(StandardCharsets.UTF_8));
    return payload + "." + B64.encodeToString(mac(secret, payload));
  }

  /** The grant of a token with a valid MAC that has not expired; the message says what is wrong. */
  public static Grant verify(String secret, String token, Instant now) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("enrollment is closed (no console.enroll.secret)");
    }
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot < 1) {
      throw new IllegalArgumentException("not an enrollment link");
    }
    String payload = token.substring(0, dot);
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an enrollment link");
    }
    if (!MessageDigest.isEqual(given, mac(secret, payload))) {
      throw new IllegalArgumentException("the enrollment link is not genuine");
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(payload));
      Instant expires = Instant.ofEpochSecond(claims.get("exp").asLong());
      if (!now.isBefore(expires)) {
        throw new IllegalArgumentException("the enrollment link expired at " + expires);
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String role : claims.get("roles").asText().split("\\+")) {
        roles.add(Role.valueOf(role));
      }
      return new Grant(claims.get("id").asText(), new Person(claims.get("person").asText(), claims.get("hr").asText()),
          roles, expires);
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("the ")) {
        throw iae;
      }
      throw new IllegalArgumentException("the enrollment link is malformed");
    }
  }

  private static byte[] mac(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(("authn-lifecycle/console-enroll/v1\n" + payload).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
