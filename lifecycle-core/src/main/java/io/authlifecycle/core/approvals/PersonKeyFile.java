package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * A person's signing key on disk (help-desk agent or approver): a small properties file with a
 * format marker, the person id, HR subject id and roles, the algorithm and both keys in base64
 * (X.509 public, PKCS#8 private), readable by its owner only.
 */
public record PersonKeyFile(Person person, Set<Role> roles, PublicKey publicKey, PrivateKey privateKey) {

  public static final String FORMAT = "authn-lifecycle-person-key/1";
  /** The first release's approver key files: no HR subject, no role. */
  static final String OLD_FORMAT = "authn-lifecycle-approver-key/1";

  public PersonKeyFile {
    roles = Set.copyOf(roles);
  }

  /** A problem with a key file, phrased for the person holding it. */
  public static final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
      super(message);
    }
  }

  public static PersonKeyFile generate(Person person, Set<Role> roles) {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one role");
    }
    KeyPair pair = Ed25519.generate();
    return new PersonKeyFile(person, roles, pair.getPublic(), pair.getPrivate());
  }

  public String personId() {
    return person.personId();
  }

  /** The id a signature envelope names this key by. */
  public String keyId() {
    return KeyIds.ed25519(publicKey);
  }

  /** The line to add to {@code person.keys}. */
  public String registryEntry() {
    return PersonKeyRegistry.entry(person, roles, publicKey);
  }

  /** An ED25519 envelope over {@code canonicalBytes}. */
  public SignatureEnvelope sign(byte[] canonicalBytes) {
    return SignatureEnvelope.newBuilder().setScheme(SignatureScheme.ED25519).setKeyId(keyId())
        .setSignature(ByteBuffer.wrap(Ed25519.sign(privateKey, canonicalBytes))).build();
  }

  /**
   * Writes a new file, owner-only where the file system allows; never over an existing one (a
   * FileAlreadyExistsException), since an overwritten key cannot be recovered.
   */
  public void writeNew(Path file) throws IOException {
    Properties props = new Properties();
    props.setProperty("format", FORMAT);
    props.setProperty("person", person.personId());
    props.setProperty("hrSubject", person.hrSubjectId());
    props.setProperty("roles", String.join(",", roles.stream().sorted().map(Role::name).toList()));
    props.setProperty("algorithm", Ed25519.ALGORITHM);
    props.setProperty("publicKey", Ed25519.encodePublic(publicKey));
    props.setProperty("privateKey", Ed25519.encodePrivate(privateKey));
    StringWriter text = new StringWriter();
    props.store(text, "Signing key of " + person + ". Private: never share or commit this file.");
    OwnerOnlyFiles.writeNew(file, text.toString());
  }

  /** Reads and checks a key file: format, person, roles, algorithm, both keys, and that they belong together. */
  public static PersonKeyFile read(Path file) throws KeyFileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeyFileException("key file " + file + " does not exist");
    } catch (IOException e) {
      throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage());
    }
    Properties props = new Properties();
    try {
      props.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyFileException(file + " is not a signing key file: " + e.getMessage());
    }
    if (OLD_FORMAT.equals(props.getProperty("format"))) {
      throw new KeyFileException(file + " is an approver key file of the first release, which names no HR subject or "
          + "role: create a new one with lifecyclectl keygen --person ... --hr-subject ... --role APPROVER and register its line");
    }
    if (!FORMAT.equals(props.getProperty("format"))) {
      throw new KeyFileException(file + " is not a signing key file (expected format=" + FORMAT + ")");
    }
    Person person = new Person(required(props, "person", file), required(props, "hrSubject", file));
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String role : required(props, "roles", file).split(",")) {
      try {
        roles.add(Role.valueOf(role.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new KeyFileException(file + ": unknown role " + role.strip());
      }
    }
    if (!Ed25519.ALGORITHM.equals(props.getProperty("algorithm"))) {
      throw new KeyFileException(file + ": algorithm must be " + Ed25519.ALGORITHM);
    }
    PublicKey pub;
    PrivateKey priv;
    try {
      pub = Ed25519.decodePublic(required(props, "publicKey", file));
      priv = Ed25519.decodePrivate(required(props, "privateKey", file));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(file + ": " + e.getMessage());
    }
    byte[] probe = CanonicalBytes.of("authn-lifecycle/key-check/v1").text(person.personId()).bytes();
    if (!Ed25519.verify(pub, probe, Ed25519.sign(priv, probe))) {
      throw new KeyFileException(file + ": the private key does not match the public key in the same file");
    }
    return new PersonKeyFile(person, roles, pub, priv);
  }

  private static String required(Properties props, String name, Path file) throws KeyFileException {
    String value = props.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new KeyFileException(file + " has no " + name);
    }
    return value.strip();
  }
}
