package io.authlifecycle.core.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.streams.Ids;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TicketIdsTest {

  @ParameterizedTest
  @EnumSource(value = TicketPurpose.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
  void aTicketIdNamesItsPurposeAndIsDerivedFromItsCause(TicketPurpose purpose) {
    String id = TicketIds.derive(purpose, "mover-worker", "hr-1", "ticket");

    assertThat(id).isEqualTo(purpose.name().toLowerCase() + "-" + Ids.derive("mover-worker", "hr-1", "ticket"));
    assertThat(TicketIds.derive(purpose, "mover-worker", "hr-1", "ticket")).isEqualTo(id);
    assertThat(TicketIds.purposeOf(id)).isEqualTo(purpose);
  }

  @Test
  void anIdWithoutAKnownPrefixHasNoPurpose() {
    assertThat(TicketIds.purposeOf(null)).isEqualTo(TicketPurpose.UNKNOWN);
    assertThat(TicketIds.purposeOf(Ids.derive("x"))).isEqualTo(TicketPurpose.UNKNOWN);
    assertThat(TicketIds.purposeOf("rebinding-1")).isEqualTo(TicketPurpose.UNKNOWN);
  }

  @Test
  void theTicketsIssuerDecidesOnItsBindingsAndTheJoinerOnEveryOther() {
    assertThat(BindingOwner.of(bound(TicketIds.derive(TicketPurpose.REBIND, "a")))).isEqualTo(BindingOwner.MOVER);
    assertThat(BindingOwner.of(bound(TicketIds.derive(TicketPurpose.RECOVERY, "a")))).isEqualTo(BindingOwner.RECOVERY);
    assertThat(BindingOwner.of(bound(TicketIds.derive(TicketPurpose.ONBOARDING, "a")))).isEqualTo(BindingOwner.JOINER);
    assertThat(BindingOwner.of(bound(null))).isEqualTo(BindingOwner.JOINER);
    assertThat(BindingOwner.of(bound("made-up"))).isEqualTo(BindingOwner.JOINER);
  }

  private static AuthenticatorBound bound(String ticketId) {
    return AuthenticatorBound.newBuilder().setEventId("e").setEventTime(Instant.EPOCH).setSubjectId("s")
        .setAuthenticatorId("a").setFactorType(FactorType.OTP_APP).setTicketId(ticketId).build();
  }
}
