package io.authlifecycle.gateway.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeycloakHttpTest {

  @Test
  void readsRetryAfterAsSeconds() {
    assertThat(KeycloakHttp.parseRetryAfter(" 7 ")).contains(Duration.ofSeconds(7));
  }

  @Test
  void readsRetryAfterAsAnHttpDate() {
    String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));

    Optional<Duration> wait = KeycloakHttp.parseRetryAfter(inTwoMinutes);

    assertThat(wait).get().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120)));
  }

  @Test
  void ignoresARetryAfterItCannotRead() {
    assertThat(KeycloakHttp.parseRetryAfter("soon")).isEmpty();
  }
}
