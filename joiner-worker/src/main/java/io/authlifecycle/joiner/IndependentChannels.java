package io.authlifecycle.joiner;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a subject's channels may carry news of a binding (63B-4 4.1.2.1: notify on a channel
 * independent of the binding). The rule: only channels that reach the subject directly (work
 * email, personal email, SMS, push) count; the IdP portal never does, since the session that bound
 * the factor would see it; push is dropped when the new factor is push-based, a passkey that lives
 * in the phone's platform account, or bound to a device (push would land on that device); SMS is
 * dropped when the new factor is an SMS or voice number (it may be the attacker's number).
 */
final class IndependentChannels {

  private static final Set<Channel> REACH_THE_SUBJECT = EnumSet.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL,
      Channel.SMS, Channel.PUSH);
  private static final Set<FactorType> ON_THE_PUSH_DEVICE = EnumSet.of(FactorType.PUSH_PLAIN,
      FactorType.PUSH_NUMBER_MATCHING, FactorType.SYNCED_PASSKEY);
  private static final Set<FactorType> ON_THE_PHONE_NUMBER = EnumSet.of(FactorType.SMS, FactorType.VOICE);

  private IndependentChannels() {}

  /** The subject's channels that the new factor cannot control, in the subject's order. */
  static List<Channel> forBinding(List<Channel> registered, FactorType factorType, String deviceId) {
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
  static List<Channel> forReminder(List<Channel> registered) {
    return registered.stream().filter(REACH_THE_SUBJECT::contains).distinct().toList();
  }
}
