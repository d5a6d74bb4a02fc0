package io.authlifecycle.ingest.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.utils.DateTimeUtils;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.VerificationMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a SCIM User says about the subject, read from the core schema, the enterprise extension
 * ({@code employeeNumber} is the subject id, {@code manager} the manager) and the product
 * extension. Values the schema checker cannot judge (enum names, required parts) are checked here.
 */
public record UserProfile(String subjectId, String userName, boolean active, String role, String title,
    String department, String managerRef, boolean privileged, IdentityType identityType, Verification verification,
    List<Channel> channels, List<String> ownedServiceIdentities, Instant effectiveTime, boolean forCause) {

  /** The identity-verification event the product extension carries. */
  public record Verification(VerificationMethod method, IdentityAssuranceLevel level, Instant time, String reference,
      String verifier) {}

  /** Reads a resource that passed the schema checker. */
  public static UserProfile of(JsonNode user) throws BadRequestException {
    JsonNode enterprise = user.path(ScimSchemas.ENTERPRISE);
    JsonNode own = user.path(ScimSchemas.LIFECYCLE);
    String subjectId = text(enterprise.path("employeeNumber"));
    if (subjectId == null) {
      throw BadRequestException.invalidValue("employeeNumber (" + ScimSchemas.ENTERPRISE + ") is required: it is the "
          + "subject id every lifecycle event is keyed by");
    }
    String userName = text(user.path("userName"));
    if (userName == null) {
      throw BadRequestException.invalidValue("userName is required");
    }
    JsonNode active = user.path("active");
    return new UserProfile(subjectId, userName, active.isMissingNode() || active.isNull() || active.asBoolean(),
        role(user.path("roles")), text(user.path("title")), text(enterprise.path("department")),
        text(enterprise.path("manager").path("value")), own.path("privileged").asBoolean(false),
        own.hasNonNull("identityType") ? enumValue(IdentityType.class, own.get("identityType"), "identityType")
            : IdentityType.HUMAN,
        verification(own.path("identityVerification")), channels(own.path("channels")),
        strings(own.path("ownedServiceIdentities")), time(own.path("effectiveTime"), "effectiveTime"),
        own.path("forCause").asBoolean(false));
  }

  /** Whether a change between two profiles is a move: what the workers re-evaluate a subject on. */
  public boolean movedFrom(UserProfile before) {
    return !Objects.equals(role, before.role) || !Objects.equals(title, before.title)
        || !Objects.equals(department, before.department) || !Objects.equals(managerRef, before.managerRef)
        || privileged != before.privileged || identityType != before.identityType
        || !channels.equals(before.channels) || !ownedServiceIdentities.equals(before.ownedServiceIdentities);
  }

  /** Whether this profile carries a verification the earlier one did not. */
  public boolean newlyVerifiedFrom(UserProfile before) {
    return verification != null && (before.verification == null
        || !verification.reference().equals(before.verification.reference()));
  }

  /** The role: the primary {@code roles} value, else the first, else none. */
  private static String role(JsonNode roles) {
    String first = null;
    for (JsonNode role : roles) {
      String value = text(role.path("value"));
      if (value != null && role.path("primary").asBoolean(false)) {
        return value;
      }
      first = first == null ? value : first;
    }
    return first;
  }

  private static Verification verification(JsonNode node) throws BadRequestException {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String reference = text(node.path("reference"));
    Instant time = time(node.path("time"), "identityVerification.time");
    if (reference == null || time == null || !node.hasNonNull("method") || !node.hasNonNull("level")) {
      throw BadRequestException.invalidValue("identityVerification needs method, level, time and reference");
    }
    return new Verification(enumValue(VerificationMethod.class, node.get("method"), "identityVerification.method"),
        enumValue(IdentityAssuranceLevel.class, node.get("level"), "identityVerification.level"), time, reference,
        text(node.path("verifier")));
  }

  private static List<Channel> channels(JsonNode node) throws BadRequestException {
    List<Channel> channels = new ArrayList<>();
    for (JsonNode value : node) {
      channels.add(enumValue(Channel.class, value, "channels"));
    }
    return List.copyOf(channels);
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    node.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }

  private static Instant time(JsonNode node, String name) throws BadRequestException {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return DateTimeUtils.parse(node.asText()).toInstant();
    } catch (IllegalArgumentException e) {
      throw BadRequestException.invalidValue(name + " is not an xsd:dateTime: " + node.asText());
    }
  }

  /** An enum by name; UNKNOWN is a reader's placeholder for a newer writer's value, never accepted as input. */
  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String name) throws BadRequestException {
    String raw = node.asText().strip().toUpperCase(Locale.ROOT);
    try {
      E value = Enum.valueOf(type, raw);
      if (!value.name().equals("UNKNOWN")) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // Reported below with the accepted values.
    }
    List<String> accepted = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (!e.name().equals("UNKNOWN")) {
        accepted.add(e.name());
      }
    }
    throw BadRequestException.invalidValue(name + " '" + node.asText() + "' is not one of " + accepted);
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }
}
