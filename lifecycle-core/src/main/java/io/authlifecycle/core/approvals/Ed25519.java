package io.authlifecycle.core.approvals;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Ed25519 with the JDK's own provider: key pairs, their base64 encodings, signing and verifying. */
public final class Ed25519 {

  public static final String ALGORITHM = "Ed25519";

  private Ed25519() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  public static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** False for a signature that does not verify, including malformed ones; never throws on bad input. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature == null || signature.length == 0) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed", e);
    }
  }

  /** Standard base64 of the X.509 SubjectPublicKeyInfo encoding. */
  public static String encodePublic(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Standard base64 of the PKCS#8 encoding. */
  public static String encodePrivate(PrivateKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Parses base64 X.509; the message says what is wrong. */
  public static PublicKey decodePublic(String base64) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key is not valid base64", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("public key is not an X.509-encoded Ed25519 key", e);
    }
  }

  /** Parses base64 PKCS#8; the message says what is wrong. */
  public static PrivateKey decodePrivate(String base64) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private key is not valid base64", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("private key is not a PKCS#8-encoded Ed25519 key", e);
    }
  }
}
