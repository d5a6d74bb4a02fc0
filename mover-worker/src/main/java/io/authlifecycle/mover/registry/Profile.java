package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.SubjectProfile;
import java.time.Instant;
import java.util.List;

/** What the last HR event said about a subject, with the assurance the policy derived from it. */
public record Profile(String role, boolean privileged, IdentityType identityType, List<Channel> channels,
    String managerId, AssuranceLevel requiredLevel, boolean phishingResistant, boolean restrictedAllowed,
    String eventId, Instant eventTime) {

  public Profile {
    channels = List.copyOf(channels);
  }

  public static Profile from(WorkerEvent event, AssurancePolicy policy) {
    SubjectProfile view = new SubjectProfile(event.getIdentityType(), event.getPrivileged(), event.getRole());
    return new Profile(event.getRole(), event.getPrivileged(), event.getIdentityType(), event.getChannels(),
        event.getManagerId(), policy.requiredLevel(view), policy.requiresPhishingResistance(view),
        policy.allowsRestricted(view), event.getEventId(), event.getEventTime());
  }

  public Profile withChannels(List<Channel> registered) {
    return new Profile(role, privileged, identityType, registered, managerId, requiredLevel, phishingResistant,
        restrictedAllowed, eventId, eventTime);
  }

  /** The subject as the policy sees it. */
  public SubjectProfile view() {
    return new SubjectProfile(identityType, privileged, role);
  }
}
