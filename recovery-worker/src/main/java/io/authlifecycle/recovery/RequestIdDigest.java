package io.authlifecycle.recovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Every request id a subject ever used, in a fixed 512 bytes of its state: a Bloom filter of 4096
 * bits with 7 probes. Probe i of an id is the i-th big-endian 32-bit word of SHA-256 over
 * "authn-lifecycle/request-id/v1", a zero byte and the id's UTF-8 bytes, taken unsigned modulo
 * 4096. It never forgets an id (no false negatives), so an id once used is refused for good, with
 * the subject's state bounded however long its history; a false positive only refuses a fresh id,
 * which the requester replaces (about 1 in 420,000 after 100 ids, 1 in 600 after 300; the rate limit
 * holds a subject to a few requests a day).
 */
final class RequestIdDigest {

  static final int BITS = 4096;
  static final int PROBES = 7;
  private static final byte[] DOMAIN = "authn-lifecycle/request-id/v1".getBytes(StandardCharsets.UTF_8);

  private RequestIdDigest() {}

  static byte[] empty() {
    return new byte[BITS / 8];
  }

  /** Whether {@code id} may have been added; false means it never was. */
  static boolean mightContain(byte[] filter, String id) {
    if (filter == null || filter.length != BITS / 8) {
      return false;
    }
    for (int bit : probes(id)) {
      if ((filter[bit >>> 3] & (1 << (bit & 7))) == 0) {
        return false;
      }
    }
    return true;
  }

  /** A copy of {@code filter} (or of an empty one) with {@code id} added. */
  static byte[] add(byte[] filter, String id) {
    byte[] copy = filter == null || filter.length != BITS / 8 ? empty() : filter.clone();
    for (int bit : probes(id)) {
      copy[bit >>> 3] |= (byte) (1 << (bit & 7));
    }
    return copy;
  }

  private static int[] probes(String id) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
    sha.update(DOMAIN);
    sha.update((byte) 0);
    ByteBuffer hash = ByteBuffer.wrap(sha.digest(id.getBytes(StandardCharsets.UTF_8)));
    int[] bits = new int[PROBES];
    for (int i = 0; i < PROBES; i++) {
      bits[i] = (int) (Integer.toUnsignedLong(hash.getInt(i * 4)) % BITS);
    }
    return bits;
  }
}
