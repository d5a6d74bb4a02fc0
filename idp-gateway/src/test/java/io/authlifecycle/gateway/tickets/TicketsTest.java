package io.authlifecycle.gateway.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.avro.state.GatewayTicket;
import io.authlifecycle.avro.state.GatewayTicketStatus;
import io.authlifecycle.gateway.idp.Binding;
import io.authlifecycle.gateway.testing.TestGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TicketsTest {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private static final Tickets TICKETS = new Tickets(Duration.ofHours(24));

  private static GatewayTicket open(String id, String action, Instant opened, Duration lifetime) {
    GatewayTicket t = Tickets.issue(TestGateway.ticket("s-1", id, TicketPurpose.ONBOARDING, List.of(FactorType.OTP_APP),
        opened, opened.plus(lifetime)), action, opened);
    assertThat(t.getStatus()).isEqualTo(GatewayTicketStatus.OPEN);
    return t;
  }

  private static GatewaySubject subject(GatewayTicket... tickets) {
    return GatewaySubject.newBuilder().setSubjectId("s-1").setTickets(new ArrayList<>(List.of(tickets))).build();
  }

  private static Binding otp(Instant at) {
    return new Binding("s-1", "otp-" + at.toEpochMilli(), FactorType.OTP_APP, at, "CONFIGURE_TOTP", null,
        DeviceAttribution.UNATTRIBUTED, "credential type otp");
  }

  @Test
  void aBindingIsAttributedOnlyInsideItsTicketsWindowAndForItsEnrollmentAction() {
    GatewayTicket t = open("a", "CONFIGURE_TOTP", T0, Duration.ofHours(1));
    GatewaySubject s = subject(t);

    assertThat(Tickets.attribute(s, otp(T0.plusSeconds(60)))).contains(t);
    assertThat(Tickets.attribute(s, otp(T0.minusSeconds(1)))).isEmpty();
    assertThat(Tickets.attribute(s, otp(T0.plus(Duration.ofHours(1)).plusSeconds(1)))).isEmpty();
    assertThat(Tickets.attribute(s, new Binding("s-1", "pk", FactorType.SYNCED_PASSKEY, T0.plusSeconds(60),
        "webauthn-register-passwordless", null, DeviceAttribution.UNATTRIBUTED, "-"))).isEmpty();
  }

  @Test
  void aUsedTicketStillClaimsALaterBindingInItsWindowButAnUnusedOneComesFirst() {
    GatewayTicket used = open("a", "CONFIGURE_TOTP", T0, Duration.ofHours(1));
    Tickets.finish(used, GatewayTicketStatus.USED, T0.plusSeconds(30));
    GatewayTicket fresh = open("b", "CONFIGURE_TOTP", T0.plusSeconds(40), Duration.ofHours(1));

    assertThat(Tickets.attribute(subject(used), otp(T0.plusSeconds(120)))).contains(used);
    assertThat(Tickets.attribute(subject(used, fresh), otp(T0.plusSeconds(120)))).contains(fresh);
  }

  @Test
  void aClosedTicketClaimsOnlyBindingsMadeBeforeItClosed() {
    GatewayTicket closed = open("a", "CONFIGURE_TOTP", T0, Duration.ofHours(1));
    Tickets.finish(closed, GatewayTicketStatus.CLOSED, T0.plusSeconds(100));

    assertThat(Tickets.attribute(subject(closed), otp(T0.plusSeconds(99)))).contains(closed);
    assertThat(Tickets.attribute(subject(closed), otp(T0.plusSeconds(101)))).isEmpty();
  }

  @Test
  void theNextDueTimeIsTheOpeningTheExpiryOrThePruning() {
    GatewayTicket scheduled = Tickets.issue(TestGateway.ticket("s-1", "c", TicketPurpose.ONBOARDING, List.of(FactorType.OTP_APP),
        T0.plusSeconds(600), T0.plusSeconds(4200)), "CONFIGURE_TOTP", T0);
    GatewayTicket opened = open("d", "CONFIGURE_TOTP", T0, Duration.ofMinutes(5));
    GatewaySubject s = subject(scheduled, opened);

    assertThat(scheduled.getStatus()).isEqualTo(GatewayTicketStatus.SCHEDULED);
    assertThat(TICKETS.nextDue(s)).contains(T0.plusSeconds(300));
    assertThat(Tickets.toExpire(s, T0.plusSeconds(300))).containsExactly(opened);
    assertThat(Tickets.toOpen(s, T0.plusSeconds(600))).containsExactly(scheduled);
    Tickets.finish(opened, GatewayTicketStatus.EXPIRED, T0.plusSeconds(300));
    scheduled.setStatus(GatewayTicketStatus.OPEN);
    assertThat(TICKETS.nextDue(s)).contains(T0.plusSeconds(4200));
    assertThat(TICKETS.prune(s, T0.plusSeconds(300).plus(Duration.ofHours(24)))).isTrue();
    assertThat(s.getTickets()).containsExactly(scheduled);
    assertThat(TICKETS.nextDue(subject())).isEqualTo(Optional.empty());
  }
}
