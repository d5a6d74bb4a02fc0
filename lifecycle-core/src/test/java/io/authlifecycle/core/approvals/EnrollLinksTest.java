package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnrollLinksTest {

  private static final String SECRET = "a-console-enrollment-secret-of-32-chars+";
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private static final Person AP = new Person("ap-1", "E1001");

  @Test
  void aLinkGrantsItsPersonAndRolesUntilItExpires() {
    String token = EnrollLinks.mint(SECRET, AP, Set.of(Role.APPROVER, Role.HELP_DESK), Duration.ofHours(1), NOW);

    EnrollLinks.Grant grant = EnrollLinks.verify(SECRET, token, NOW.plusSeconds(3599));
    assertThat(grant.person()).isEqualTo(AP);
    assertThat(grant.roles()).containsExactlyInAnyOrder(Role.APPROVER, Role.HELP_DESK);
    assertThat(grant.linkId()).isNotBlank();
    assertThat(EnrollLinks.mint(SECRET, AP, Set.of(Role.APPROVER), Duration.ofHours(1), NOW))
        .as("each link has its own id").isNotEqualTo(token);
    assertThatThrownBy(() -> EnrollLinks.verify(SECRET, token, NOW.plusSeconds(3600))).hasMessageContaining("expired");
  }

  @Test
  void aLinkWithAnotherSecretOrAlteredClaimsIsNotGenuine() {
    String token = EnrollLinks.mint(SECRET, AP, Set.of(Role.APPROVER), Duration.ofHours(1), NOW);
    String payload = token.substring(0, token.indexOf('.'));
    String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
        java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8)
        .replace("ap-1", "ap-2").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThatThrownBy(() -> EnrollLinks.verify(SECRET + "x", token, NOW)).hasMessageContaining("not genuine");
    assertThatThrownBy(() -> EnrollLinks.verify(SECRET, forgedPayload + token.substring(token.indexOf('.')), NOW))
        .hasMessageContaining("not genuine");
    assertThatThrownBy(() -> EnrollLinks.verify(SECRET, "garbage", NOW)).hasMessageContaining("not an enrollment link");
    assertThatThrownBy(() -> EnrollLinks.verify("", token, NOW)).hasMessageContaining("enrollment is closed");
  }
}
