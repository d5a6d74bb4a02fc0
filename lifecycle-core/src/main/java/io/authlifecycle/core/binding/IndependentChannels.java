package io.authlifecycle.core.binding;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a subject's channels may carry news about its factors. A binding is announced on a
 * channel independent of the new factor (63B-4 4.1.2.1): only channels that reach the subject
 * directly (work email, personal email, SMS, push) count; the IdP portal never does, since the
 * session that bound the factor would see it; push is dropped when the new factor is push-based, a
 * passkey that lives in the phone's platform account, or bound to a device (push would land on
 * that device); SMS is dropped when the new factor is an SMS or voice number (it may be the
 * attacker's number). A notice about a loss never goes to a channel the lost factor or device
 * may reach: whoever holds it would read it.
 */
public final class IndependentChannels {

  /** Channels that end on a device: a lost or stolen phone receives them. */
  public static final Set<Channel> DEVICE_CHANNELS = EnumSet.of(Channel.PUSH, Channel.SMS);

  private static final Set<Channel> REACH_THE_SUBJECT = EnumSet.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL,
      Channel.SMS, Channel.PUSH);
  private static final Set<FactorType> ON_THE_PUSH_DEVICE = EnumSet.of(FactorType.PUSH_PLAIN,
      FactorType.PUSH_NUMBER_MATCHING, FactorType.SYNCED_PASSKEY);
  private static final Set<FactorType> ON_THE_PHONE_NUMBER = EnumSet.of(FactorType.SMS, FactorType.VOICE);
  /** Factor kinds that live on a phone: losing one means the phone, its push and its SMS are in other hands. */
  private static final Set<FactorType> ON_A_PHONE = EnumSet.of(FactorType.PUSH_PLAIN, FactorType.PUSH_NUMBER_MATCHING,
      FactorType.SYNCED_PASSKEY, FactorType.OTP_APP, FactorType.SMS, FactorType.VOICE);

  private IndependentChannels() {}

  /** The subject's channels that the new factor cannot control, in the subject's order. */
  public static List<Channel> forBinding(List<Channel> registered, FactorType factorType, String deviceId) {
    boolean pushDependent = ON_THE_PUSH_DEVICE.contains(factorType) || (deviceId != null && !deviceId.isBlank());
    boolean smsDependent = ON_THE_PHONE_NUMBER.contains(factorType);
    return registered.stream()
        .filter(REACH_THE_SUBJECT::contains)
        .filter(c -> !(pushDependent && c == Channel.PUSH))
        .filter(c -> !(smsDependent && c == Channel.SMS))
        .distinct()
        .toList();
  }

  /** Channels for reminders that carry no secret: every channel that reaches the subject directly. */
  public static List<Channel> forReminder(List<Channel> registered) {
    return registered.stream().filter(REACH_THE_SUBJECT::contains).distinct().toList();
  }

  /** The channels a lost factor may reach: push and SMS for one that lives on a phone or on any device; none otherwise. */
  public static Set<Channel> reachedBy(FactorType lostType, String deviceId) {
    boolean onDevice = deviceId != null && !deviceId.isBlank();
    return onDevice || ON_A_PHONE.contains(lostType) ? DEVICE_CHANNELS : Set.of();
  }

  /** The registered channels without those a loss may reach, in the subject's order. */
  public static List<Channel> avoiding(List<Channel> registered, Collection<Channel> lost) {
    return registered.stream().filter(c -> !lost.contains(c)).distinct().toList();
  }
}
