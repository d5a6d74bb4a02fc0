package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.deploy.KeycloakChanges.UserState;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeycloakChangesTest {

  @Test
  void aLeaverShowsOnlyWhatChanged() {
    UserState before = new UserState(true, List.of("password", "otp"), List.of(), 1);
    UserState after = new UserState(false, List.of(), List.of(), 0);

    assertThat(KeycloakChanges.change("dave-r1", before, after)).contains(
        "KEYCLOAK    dave-r1: enabled → disabled; credentials [password, otp] → []; sessions 1 → 0");
  }

  @Test
  void anOpenedTicketShowsItsRequiredAction() {
    UserState before = new UserState(true, List.of("password"), List.of(), 0);
    UserState after = new UserState(true, List.of("password"), List.of("CONFIGURE_TOTP"), 0);

    assertThat(KeycloakChanges.change("alice-r1", before, after)).contains(
        "KEYCLOAK    alice-r1: required actions [] → [CONFIGURE_TOTP]");
  }

  @Test
  void nothingChangedPrintsNothingAndAFirstSightPrintsTheWholeState() {
    UserState state = new UserState(true, List.of("password"), List.of(), 0);

    assertThat(KeycloakChanges.change("bob-r1", state, state)).isEmpty();
    assertThat(KeycloakChanges.change("bob-r1", null, state)).contains(
        "KEYCLOAK    bob-r1: enabled, credentials [password], required actions [], sessions 0");
  }
}
