package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.Decision;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ApprovalStatementTest {

  private static final Instant AT = Instant.parse("2026-11-02T09:15:00.123Z");

  @Test
  void canonicalBytesAreTheDomainAndLengthPrefixedUtf8FieldsThenEpochMillis() {
    byte[] bytes = new ApprovalStatement("r-1", "s-1", "n0nce", "ap-1", Decision.APPROVE, AT).canonicalBytes();

    ByteBuffer expected = ByteBuffer.allocate(bytes.length);
    for (String field : new String[] {"authn-lifecycle/approval-decision/v2", "r-1", "s-1", "n0nce", "ap-1", "APPROVE"}) {
      byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
      expected.putInt(utf8.length).put(utf8);
    }
    expected.putLong(AT.toEpochMilli());
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(expected.array()));
  }

  @Test
  void theCaseNonceIsPartOfTheStatementSoAnotherCaseGivesOtherBytes() {
    byte[] one = new ApprovalStatement("r-1", "s-1", "nonce-a", "ap-1", Decision.APPROVE, AT).canonicalBytes();
    byte[] two = new ApprovalStatement("r-1", "s-1", "nonce-b", "ap-1", Decision.APPROVE, AT).canonicalBytes();

    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void theWebAuthnChallengeIsBase64UrlOfSha256OverTheCanonicalBytes() throws Exception {
    ApprovalStatement statement = new ApprovalStatement("r-1", "s-1", "n0nce", "ap-1", Decision.DENY, AT);

    byte[] hash = MessageDigest.getInstance("SHA-256").digest(statement.canonicalBytes());
    assertThat(statement.challenge()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(hash)).hasSize(43);
  }

  @Test
  void movingCharactersBetweenFieldsChangesTheBytes() {
    byte[] a = new ApprovalStatement("ab", "c", "n", "x", Decision.APPROVE, AT).canonicalBytes();
    byte[] b = new ApprovalStatement("a", "bc", "n", "x", Decision.APPROVE, AT).canonicalBytes();

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void nonAsciiIdsAreEncodedAsUtf8ByteLengths() {
    byte[] bytes = new ApprovalStatement("é", "s", "n", "a", Decision.DENY, AT).canonicalBytes();
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.position(4 + ApprovalStatement.DOMAIN.length());

    assertThat(buffer.getInt()).isEqualTo(2);
  }

  @Property(tries = 300)
  void differentStatementsNeverShareAnEncoding(@ForAll String r1, @ForAll String n1, @ForAll String r2, @ForAll String n2,
      @ForAll boolean deny1, @ForAll boolean deny2, @ForAll long t1, @ForAll long t2) {
    ApprovalStatement one = statement(r1, n1, deny1, t1);
    ApprovalStatement two = statement(r2, n2, deny2, t2);

    assertThat(java.util.Arrays.equals(one.canonicalBytes(), two.canonicalBytes())).isEqualTo(one.equals(two));
  }

  private static ApprovalStatement statement(String requestId, String nonce, boolean deny, long millis) {
    long bounded = Math.floorMod(millis, 4_102_444_800_000L);
    return new ApprovalStatement(requestId, "s", nonce, "ap", deny ? Decision.DENY : Decision.APPROVE,
        Instant.ofEpochMilli(bounded));
  }
}
