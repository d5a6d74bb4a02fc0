package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Setting;
import java.security.PublicKey;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The people whose signatures count, from the setting {@code person.keys}: comma-separated
 * {@code personId:hrSubjectId:ROLE[+ROLE]:ED25519:base64-X.509-public-key} entries (the line
 * {@code lifecyclectl keygen} prints) and
 * {@code personId:hrSubjectId:ROLE[+ROLE]:WEBAUTHN:credentialId:base64url-COSE-public-key} entries
 * (a passkey, the line the approver console prints when it is enrolled). Each key belongs to exactly one person and each person to
 * exactly one HR subject: the registry refuses one key listed twice (under the same or another
 * id), one person id with two HR subjects, and two person ids for one HR subject. A person may
 * hold several keys (one per role, or a new one during a rotation), and both roles: the recovery
 * worker keeps requester and approver apart by HR subject, whatever the keys.
 */
public final class PersonKeyRegistry {

  public static final Setting<List<String>> PERSON_KEYS = Setting.list("person.keys", "",
      "Help-desk agents and approvers and their public keys: personId:hrSubjectId:ROLE[+ROLE]:ED25519:base64-X.509 "
          + "(the line lifecyclectl keygen prints) or personId:hrSubjectId:ROLE[+ROLE]:WEBAUTHN:credentialId:base64url-COSE-key "
          + "(a passkey: the line the approver console prints at enrollment), comma-separated; roles HELP_DESK, APPROVER.")
      .validate(PersonKeyRegistry::parses, "each entry must be personId:hrSubjectId:roles:ED25519:base64 X.509 Ed25519 "
          + "public key or personId:hrSubjectId:roles:WEBAUTHN:credential id:base64url COSE public key; one key per entry, "
          + "one HR subject per person, one person per HR subject");

  /** The first release's approver list, which named no HR subject or role; refused so it cannot silently stop counting. */
  public static final Setting<List<String>> RETIRED_APPROVER_KEYS = Setting.list("approvers.keys", "",
      "Replaced by person.keys, whose entries also name the HR subject and the role of each key.")
      .validate(List::isEmpty, "must be empty: move each approver to person.keys as "
          + "approverId:hrSubjectId:APPROVER:ED25519:key (lifecyclectl keygen prints the line)");

  private static final Pattern ID = Pattern.compile("[^\\s:,+]+");

  private final Map<String, RegisteredKey> byKeyId;
  private final Map<String, Person> byPersonId;

  private PersonKeyRegistry(Map<String, RegisteredKey> byKeyId, Map<String, Person> byPersonId) {
    this.byKeyId = Map.copyOf(byKeyId);
    this.byPersonId = Map.copyOf(byPersonId);
  }

  /** Parses the entries; a bad one fails with the setting's name and the entry's position. */
  public static PersonKeyRegistry parse(List<String> entries) {
    Builder builder = new Builder();
    for (int i = 0; i < entries.size(); i++) {
      String where = "entry " + (i + 1);
      String[] parts = entries.get(i).strip().split(":", -1);
      if (parts.length < 5) {
        throw bad(where + " is not personId:hrSubjectId:ROLE[+ROLE]:ED25519:base64-public-key "
            + "or personId:hrSubjectId:ROLE[+ROLE]:WEBAUTHN:credentialId:base64url-COSE-key");
      }
      String personId = parts[0].strip();
      String hrSubjectId = parts[1].strip();
      if (!ID.matcher(personId).matches() || !ID.matcher(hrSubjectId).matches()) {
        throw bad(where + ": person id and HR subject id must be non-blank, without spaces, ':', ',' or '+'");
      }
      where += " (" + personId + ")";
      Set<Role> roles = roles(parts[2], where);
      SignatureScheme scheme = scheme(parts[3], where);
      Person person = new Person(personId, hrSubjectId);
      if (scheme == SignatureScheme.WEBAUTHN) {
        if (parts.length != 6) {
          throw bad(where + ": a WEBAUTHN entry is personId:hrSubjectId:ROLE[+ROLE]:WEBAUTHN:credentialId:base64url-COSE-key");
        }
        builder.addPasskey(person, roles, parts[4].strip(), parts[5].strip(), where);
        continue;
      }
      if (parts.length != 5) {
        throw bad(where + ": an ED25519 entry is personId:hrSubjectId:ROLE[+ROLE]:ED25519:base64-public-key");
      }
      PublicKey key;
      try {
        key = Ed25519.decodePublic(parts[4]);
      } catch (IllegalArgumentException e) {
        throw bad(where + ": " + e.getMessage());
      }
      builder.add(person, roles, key, where);
    }
    return builder.build();
  }

  /** A registry built in code (tests, the local stack's demo). */
  public static Builder builder() {
    return new Builder();
  }

  /** The line {@code lifecyclectl keygen} prints and {@link #parse} reads. */
  public static String entry(Person person, Set<Role> roles, PublicKey key) {
    return person.personId() + ":" + person.hrSubjectId() + ":" + String.join("+", roles.stream().sorted().map(Role::name).toList())
        + ":" + SignatureScheme.ED25519 + ":" + Ed25519.encodePublic(key);
  }

  /** The line for a passkey: its credential id and COSE public key, both base64url without padding. */
  public static String passkeyEntry(Person person, Set<Role> roles, String credentialId, String coseKey) {
    return person.personId() + ":" + person.hrSubjectId() + ":" + String.join("+", roles.stream().sorted().map(Role::name).toList())
        + ":" + SignatureScheme.WEBAUTHN + ":" + credentialId + ":" + coseKey;
  }

  public Optional<RegisteredKey> key(String keyId) {
    return Optional.ofNullable(byKeyId.get(keyId));
  }

  public Optional<Person> person(String personId) {
    return Optional.ofNullable(byPersonId.get(personId));
  }

  public Collection<RegisteredKey> keys() {
    return byKeyId.values();
  }

  /** How many distinct people hold a key for {@code role}. */
  public long people(Role role) {
    return byKeyId.values().stream().filter(k -> k.may(role)).map(RegisteredKey::person).distinct().count();
  }

  public boolean isEmpty() {
    return byKeyId.isEmpty();
  }

  /** Collects keys with the registry's rules; {@link #build} returns the registry. */
  public static final class Builder {
    private final Map<String, RegisteredKey> byKeyId = new LinkedHashMap<>();
    private final Map<String, String> whereKey = new LinkedHashMap<>();
    private final Map<String, Person> byPersonId = new LinkedHashMap<>();
    private final Map<String, Person> byHrSubject = new LinkedHashMap<>();

    private Builder() {}

    public Builder add(Person person, Set<Role> roles, PublicKey key) {
      return add(person, roles, key, person.personId());
    }

    Builder add(Person person, Set<Role> roles, PublicKey key, String where) {
      return register(new RegisteredKey(KeyIds.ed25519(key), SignatureScheme.ED25519, person, roles, Ed25519.encodePublic(key)),
          where);
    }

    /** A passkey: its credential id (the key id its assertions name) and its COSE public key, base64url. */
    public Builder addPasskey(Person person, Set<Role> roles, String credentialId, String coseKey) {
      return addPasskey(person, roles, credentialId, coseKey, person.personId());
    }

    Builder addPasskey(Person person, Set<Role> roles, String credentialId, String coseKey, String where) {
      try {
        WebAuthnKeys.credentialId(credentialId);
        WebAuthnKeys.publicKey(coseKey);
      } catch (IllegalArgumentException e) {
        throw bad(where + ": " + e.getMessage());
      }
      return register(new RegisteredKey(credentialId, SignatureScheme.WEBAUTHN, person, roles, coseKey), where);
    }

    private Builder register(RegisteredKey registered, String where) {
      Person person = registered.person();
      if (registered.roles().isEmpty()) {
        throw bad(where + ": a key needs at least one role (HELP_DESK, APPROVER)");
      }
      String keyId = registered.keyId();
      if (byKeyId.containsKey(keyId)) {
        throw bad(where + ": this key is already registered (" + whereKey.get(keyId) + ", person "
            + byKeyId.get(keyId).person().personId() + "); one key belongs to one person, once");
      }
      // One public key under two credential ids would still be one key.
      for (RegisteredKey other : byKeyId.values()) {
        if (other.encodedKey().equals(registered.encodedKey())) {
          throw bad(where + ": this public key is already registered (" + whereKey.get(other.keyId()) + ", person "
              + other.person().personId() + "); one key belongs to one person, once");
        }
      }
      Person known = byPersonId.get(person.personId());
      if (known != null && !known.equals(person)) {
        throw bad(where + ": person " + person.personId() + " is already registered with HR subject " + known.hrSubjectId()
            + ", not " + person.hrSubjectId());
      }
      Person sameSubject = byHrSubject.get(person.hrSubjectId());
      if (sameSubject != null && !sameSubject.equals(person)) {
        throw bad(where + ": HR subject " + person.hrSubjectId() + " is already registered as person "
            + sameSubject.personId() + "; one person signs under one id");
      }
      byKeyId.put(keyId, registered);
      whereKey.put(keyId, where);
      byPersonId.put(person.personId(), person);
      byHrSubject.put(person.hrSubjectId(), person);
      return this;
    }

    public PersonKeyRegistry build() {
      return new PersonKeyRegistry(byKeyId, byPersonId);
    }
  }

  private static Set<Role> roles(String text, String where) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String role : text.split("\\+", -1)) {
      try {
        roles.add(Role.valueOf(role.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw bad(where + ": unknown role '" + role.strip() + "' (HELP_DESK, APPROVER)");
      }
    }
    return roles;
  }

  private static SignatureScheme scheme(String text, String where) {
    try {
      SignatureScheme scheme = SignatureScheme.valueOf(text.strip().toUpperCase(Locale.ROOT));
      if (scheme != SignatureScheme.UNKNOWN) {
        return scheme;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the message below
    }
    throw bad(where + ": unknown signature scheme '" + text.strip() + "' (ED25519, WEBAUTHN)");
  }

  private static ConfigException bad(String message) {
    return new ConfigException(PERSON_KEYS.key(), message);
  }

  /** Throws the entry's own problem, which says more than the rule's summary. */
  private static boolean parses(List<String> entries) {
    parse(entries);
    return true;
  }
}
