package io.authlifecycle.core.binding;

import static io.authlifecycle.avro.Channel.HELP_DESK;
import static io.authlifecycle.avro.Channel.IDP_PORTAL;
import static io.authlifecycle.avro.Channel.PERSONAL_EMAIL;
import static io.authlifecycle.avro.Channel.PUSH;
import static io.authlifecycle.avro.Channel.SMS;
import static io.authlifecycle.avro.Channel.WORK_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IndependentChannelsTest {

  private static final List<Channel> ALL = List.of(WORK_EMAIL, PUSH, SMS, IDP_PORTAL, PERSONAL_EMAIL, HELP_DESK);

  static Stream<Arguments> bindings() {
    return Stream.of(
        // factor type, device, expected independent channels
        Arguments.of(FactorType.HARDWARE_PASSKEY, null, List.of(WORK_EMAIL, PUSH, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.HARDWARE_PASSKEY, "laptop-1", List.of(WORK_EMAIL, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.PIV_SMART_CARD, null, List.of(WORK_EMAIL, PUSH, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.SYNCED_PASSKEY, null, List.of(WORK_EMAIL, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.PUSH_NUMBER_MATCHING, null, List.of(WORK_EMAIL, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.PUSH_PLAIN, "phone-1", List.of(WORK_EMAIL, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.OTP_APP, null, List.of(WORK_EMAIL, PUSH, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.OTP_APP, "phone-1", List.of(WORK_EMAIL, SMS, PERSONAL_EMAIL)),
        Arguments.of(FactorType.SMS, null, List.of(WORK_EMAIL, PUSH, PERSONAL_EMAIL)),
        Arguments.of(FactorType.VOICE, null, List.of(WORK_EMAIL, PUSH, PERSONAL_EMAIL)));
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @MethodSource("bindings")
  void aBindingIsAnnouncedOnlyOnChannelsTheNewFactorCannotControl(FactorType type, String device, List<Channel> expected) {
    assertThat(IndependentChannels.forBinding(ALL, type, device)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bindings")
  void theIdpPortalNeverCountsAsIndependent(FactorType type, String device, List<Channel> ignored) {
    assertThat(IndependentChannels.forBinding(List.of(IDP_PORTAL), type, device)).isEmpty();
  }

  @Test
  void remindersUseEveryChannelThatReachesTheSubject() {
    assertThat(IndependentChannels.forReminder(ALL)).containsExactly(WORK_EMAIL, PUSH, SMS, PERSONAL_EMAIL);
  }

  static Stream<Arguments> losses() {
    return Stream.of(
        // lost factor type, its device, channels whoever holds it may read
        Arguments.of(FactorType.OTP_APP, null, List.of(PUSH, SMS)),
        Arguments.of(FactorType.SYNCED_PASSKEY, null, List.of(PUSH, SMS)),
        Arguments.of(FactorType.PUSH_NUMBER_MATCHING, null, List.of(PUSH, SMS)),
        Arguments.of(FactorType.SMS, null, List.of(PUSH, SMS)),
        Arguments.of(FactorType.HARDWARE_PASSKEY, "laptop-1", List.of(PUSH, SMS)),
        Arguments.of(FactorType.HARDWARE_PASSKEY, null, List.of()),
        Arguments.of(FactorType.PIV_SMART_CARD, null, List.of()));
  }

  @ParameterizedTest(name = "lost {0} on {1}: {2} reached")
  @MethodSource("losses")
  void aLostFactorOnAPhoneOrDeviceReachesItsPushAndSms(FactorType type, String device, List<Channel> reached) {
    assertThat(IndependentChannels.reachedBy(type, device)).containsExactlyInAnyOrderElementsOf(reached);
  }

  @Test
  void aNoticeAboutALossAvoidsTheChannelsTheLossReaches() {
    assertThat(IndependentChannels.avoiding(ALL, IndependentChannels.reachedBy(FactorType.OTP_APP, null)))
        .containsExactly(WORK_EMAIL, IDP_PORTAL, PERSONAL_EMAIL, HELP_DESK);
    assertThat(IndependentChannels.avoiding(ALL, List.of())).containsExactlyElementsOf(ALL);
  }
}
