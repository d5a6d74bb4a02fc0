package io.authlifecycle.core.audit.checkpoint;

import io.authlifecycle.core.approvals.Ed25519;
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
import java.util.Properties;

/**
 * A component's audit signing key on disk: a properties file with a format marker, the component
 * (writer) it belongs to and both Ed25519 keys in base64 (X.509 public, PKCS#8 private), readable
 * by its owner only. The component signs its audit checkpoints with it; the verifier holds the
 * public half.
 */
public record WriterKeyFile(String writer, PublicKey publicKey, PrivateKey privateKey) {

  public static final String FORMAT = "authn-lifecycle-writer-key/1";

  public static WriterKeyFile generate(String writer) {
    KeyPair pair = Ed25519.generate();
    return new WriterKeyFile(writer, pair.getPublic(), pair.getPrivate());
  }

  /** The public half as a {@code writer:base64} line, the form the verifier's key list takes. */
  public String publicEntry() {
    return WriterKeys.entry(writer, publicKey);
  }

  /** Writes a new owner-only file; never over an existing one. */
  public void writeNew(Path file) throws IOException {
    Properties props = new Properties();
    props.setProperty("format", FORMAT);
    props.setProperty("writer", writer);
    props.setProperty("algorithm", Ed25519.ALGORITHM);
    props.setProperty("publicKey", Ed25519.encodePublic(publicKey));
    props.setProperty("privateKey", Ed25519.encodePrivate(privateKey));
    StringWriter text = new StringWriter();
    props.store(text, "Audit checkpoint signing key of " + writer + ". Private: never share or commit this file.");
    OwnerOnlyFiles.writeNew(file, text.toString());
  }

  /** Reads and checks a key file: format, algorithm, both keys, and that they belong together. */
  public static WriterKeyFile read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("key file " + file + " does not exist");
    }
    Properties props = new Properties();
    try {
      props.load(new StringReader(text));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not a writer key file: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(props.getProperty("format"))) {
      throw new IOException(file + " is not a writer key file (expected format=" + FORMAT + ")");
    }
    if (!Ed25519.ALGORITHM.equals(props.getProperty("algorithm"))) {
      throw new IOException(file + ": algorithm must be " + Ed25519.ALGORITHM);
    }
    String writer = required(props, "writer", file);
    WriterKeyFile key;
    try {
      key = new WriterKeyFile(writer, Ed25519.decodePublic(required(props, "publicKey", file)),
          Ed25519.decodePrivate(required(props, "privateKey", file)));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    byte[] probe = AuditCheckpoints.statement("0".repeat(64));
    if (!Ed25519.verify(key.publicKey(), probe, Ed25519.sign(key.privateKey(), probe))) {
      throw new IOException(file + ": the private key does not match the public key in the same file");
    }
    return key;
  }

  private static String required(Properties props, String name, Path file) throws IOException {
    String value = props.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IOException(file + " has no " + name);
    }
    return value.strip();
  }
}
