package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * Loads the subject's recovery state, lets {@link RecoveryDecisions} decide on an HR event, a
 * request, a signed approval decision, an authenticator fact or a due timer, and stores what it decided.
 */
final class RecoveryProcessor extends DecisionProcessor<RecoverySubject> {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.RECOVERY_REQUESTS,
      Topics.SELF_SERVICE_REQUESTS, Topics.SYSTEM_REQUESTS, Topics.APPROVAL_DECISIONS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS_RECOVERY, Topics.NOTIFICATIONS, Topics.APPROVAL_REQUESTS);

  private final RecoveryDecisions decisions;

  RecoveryProcessor(WorkerContext worker, RecoveryRules rules) {
    super(worker, INPUTS, RecoveryTopology.subjectStoreName(worker), true);
    this.decisions = new RecoveryDecisions(rules);
  }

  /**
   * The records {@link RecoveryDecisions} decides on; facts that say only that something was used or
   * applied are skipped unread.
   */
  static final Set<Class<? extends SpecificRecord>> DECIDES = Set.of(WorkerEvent.class, RecoveryRequest.class,
      ApprovalDecision.class, AuthenticatorBound.class, AuthenticatorRevoked.class, AuthenticatorSuspended.class,
      AuthenticatorResumed.class);

  @Override
  protected boolean concerns(Class<? extends SpecificRecord> type) {
    return DECIDES.contains(type);
  }

  /** A recovery request goes with the channel of the topic it came on; the topic's ACL says who wrote it. */
  @Override
  protected Decision<RecoverySubject> decide(RecoverySubject state, String key, SpecificRecord value, Instant now) {
    Object input = value instanceof RecoveryRequest request
        ? new ReceivedRequest(channelOf(sourceTopic().orElse(null)), request) : value;
    return decisions.decide(state, key, input, now);
  }

  static RecoveryChannel channelOf(TopicSpec<?> topic) {
    if (topic == Topics.RECOVERY_REQUESTS) {
      return RecoveryChannel.HELP_DESK;
    } else if (topic == Topics.SELF_SERVICE_REQUESTS) {
      return RecoveryChannel.SELF_SERVICE;
    } else if (topic == Topics.SYSTEM_REQUESTS) {
      return RecoveryChannel.SYSTEM;
    }
    return RecoveryChannel.UNKNOWN;
  }

  @Override
  protected Decision<RecoverySubject> onTimer(RecoverySubject state, TimerEntry timer, Instant now) {
    return decisions.onTimer(state, timer, now);
  }
}
