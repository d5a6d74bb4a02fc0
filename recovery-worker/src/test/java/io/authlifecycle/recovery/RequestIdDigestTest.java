package io.authlifecycle.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bounded digest of every request id a subject used: no id once added is ever missed. */
class RequestIdDigestTest {

  @Test
  void everyAddedIdIsFoundAndTheDigestStaysAt512Bytes() {
    byte[] digest = null;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      digest = RequestIdDigest.add(digest, id);
    }

    assertThat(digest).hasSize(512);
    for (String id : ids) {
      assertThat(RequestIdDigest.mightContain(digest, id)).as(id).isTrue();
    }
  }

  @Test
  void aFewUsedIdsLeaveFreshIdsFree() {
    byte[] twenty = digest(20);

    long falsePositives = java.util.stream.IntStream.range(0, 10_000)
        .filter(i -> RequestIdDigest.mightContain(twenty, "fresh-" + i)).count();

    assertThat(falsePositives).isZero();
    assertThat(RequestIdDigest.mightContain(null, "r-1")).isFalse();
    assertThat(RequestIdDigest.mightContain(twenty, "r-19")).isTrue();
  }

  @Test
  void theProbesAreTheDocumentedWordsOfSha256() throws Exception {
    byte[] digest = RequestIdDigest.add(null, "r-1");

    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update("authn-lifecycle/request-id/v1".getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    ByteBuffer hash = ByteBuffer.wrap(sha.digest("r-1".getBytes(StandardCharsets.UTF_8)));
    byte[] expected = new byte[512];
    for (int i = 0; i < 7; i++) {
      int bit = (int) (Integer.toUnsignedLong(hash.getInt(i * 4)) % 4096);
      expected[bit >>> 3] |= (byte) (1 << (bit & 7));
    }
    assertThat(digest).isEqualTo(expected);
  }

  private static byte[] digest(int ids) {
    byte[] digest = null;
    for (int i = 0; i < ids; i++) {
      digest = RequestIdDigest.add(digest, "r-" + i);
    }
    return digest;
  }
}
