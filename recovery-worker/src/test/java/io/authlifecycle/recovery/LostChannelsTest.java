package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.AP3;
import static io.authlifecycle.recovery.RecoveryFixtures.HELP_DESK_AGENT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.bound;
import static io.authlifecycle.recovery.RecoveryFixtures.cancel;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.proofing;
import static io.authlifecycle.recovery.RecoveryFixtures.request;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recovery notices never go to a channel the factor or device reported lost in that case may
 * reach: whoever found the phone would read them, and could cancel nothing the subject needs.
 */
class LostChannelsTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void everyNoticeOfACaseWhoseOtpAppWasLostAvoidsPushAndSmsFromRequestToTicketToDisowning() {
    known(h, SUBJECT, false);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, bound(h, SUBJECT, "otp-1", FactorType.OTP_APP, null));
    RecoveryRequest lostOtp = request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of("otp-1"), RecoveryReason.FACTOR_LOST);

    List<SubjectNotification> notices = new ArrayList<>();
    submit(h, lostOtp);
    String notMeRef = h.read(Topics.NOTIFICATIONS).get(0).getNotMeRef();
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP3));
    notices.addAll(h.read(Topics.NOTIFICATIONS));
    h.advance(Duration.ofHours(1));
    notices.addAll(h.read(Topics.NOTIFICATIONS));
    String ticket = h.read(Topics.COMMANDS_RECOVERY).stream().filter(c -> c.getTicket() != null).findFirst().orElseThrow()
        .getTicket().getTicketId();
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, bound(h, SUBJECT, "key-new", FactorType.HARDWARE_PASSKEY, ticket));
    notices.addAll(h.read(Topics.NOTIFICATIONS));
    submit(h, cancel(h, SUBJECT, notMeRef, "not-me-1"));
    notices.addAll(h.read(Topics.NOTIFICATIONS));

    assertThat(notices).extracting(SubjectNotification::getTopic).containsExactly("recovery.approved",
        "recovery.completed", "factor.bound", "recovery.disowned");
    // Registered: work email, SMS, push. The lost OTP app lived on a phone, whose push and SMS are not the subject's now.
    assertThat(notices).allSatisfy(n -> assertThat(n.getChannels()).containsExactly(Channel.WORK_EMAIL));
  }

  @Test
  void aRefusedRequestReportingALostDeviceIsNotAnnouncedToThatDevice() {
    known(h, SUBJECT, false);

    submit(h, request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(), List.of()));

    SubjectNotification refused = h.read(Topics.NOTIFICATIONS).get(0);
    assertThat(refused.getTopic()).isEqualTo("recovery.refused");
    assertThat(refused.getChannels()).containsExactly(Channel.WORK_EMAIL);
  }

  @Test
  void aCaseThatReportsNoLossUsesEveryRegisteredChannel() {
    known(h, SUBJECT, false);

    submit(h, request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of(), RecoveryReason.LOCKED_OUT));

    assertThat(h.read(Topics.NOTIFICATIONS).get(0).getChannels()).containsExactlyElementsOf(RecoveryFixtures.CHANNELS);
  }
}
