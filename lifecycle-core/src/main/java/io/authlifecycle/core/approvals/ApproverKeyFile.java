package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.Decision;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Properties;

/**
 * An approver's key pair on disk: a small properties file with a format marker, the approver id,
 * the algorithm and both keys in base64 (X.509 public, PKCS#8 private), readable by its owner only.
 */
public record ApproverKeyFile(String approverId, PublicKey publicKey, PrivateKey privateKey) {

  public static final String FORMAT = "authn-lifecycle-approver-key/1";

  /** A problem with a key file, phrased for the person holding it. */
  public static final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
      super(message);
    }
  }

  public static ApproverKeyFile generate(String approverId) {
    KeyPair pair = Ed25519.generate();
    return new ApproverKeyFile(approverId, pair.getPublic(), pair.getPrivate());
  }

  /** The line to add to {@code approvers.keys}. */
  public String registryEntry() {
    return ApproverKeyRegistry.entry(approverId, publicKey);
  }

  /**
   * Writes a new file, owner-only where the file system allows; never over an existing one (a
   * FileAlreadyExistsException), since an overwritten key cannot be recovered.
   */
  public void writeNew(Path file) throws IOException {
    Properties props = new Properties();
    props.setProperty("format", FORMAT);
    props.setProperty("approver", approverId);
    props.setProperty("algorithm", Ed25519.ALGORITHM);
    props.setProperty("publicKey", Ed25519.encodePublic(publicKey));
    props.setProperty("privateKey", Ed25519.encodePrivate(privateKey));
    StringWriter text = new StringWriter();
    props.store(text, "Approver signing key for " + approverId + ". Private: never share or commit this file.");
    OwnerOnlyFiles.writeNew(file, text.toString());
  }

  /** Reads and checks a key file: format, algorithm, both keys, and that they belong together. */
  public static ApproverKeyFile read(Path file) throws KeyFileException {
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
      throw new KeyFileException(file + " is not an approver key file: " + e.getMessage());
    }
    if (!FORMAT.equals(props.getProperty("format"))) {
      throw new KeyFileException(file + " is not an approver key file (expected format=" + FORMAT + ")");
    }
    String approver = required(props, "approver", file);
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
    ApproverKeyFile keys = new ApproverKeyFile(approver, pub, priv);
    byte[] probe = new ApprovalStatement("key-check", "key-check", approver, Decision.DENY, Instant.EPOCH).canonicalBytes();
    if (!Ed25519.verify(pub, probe, Ed25519.sign(priv, probe))) {
      throw new KeyFileException(file + ": the private key does not match the public key in the same file");
    }
    return keys;
  }

  private static String required(Properties props, String name, Path file) throws KeyFileException {
    String value = props.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new KeyFileException(file + " has no " + name);
    }
    return value.strip();
  }
}
