package io.authlifecycle.mover;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.MoverDevice;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverProfile;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.MoverTicket;
import io.authlifecycle.avro.state.MoverTicketStatus;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.hr.Standings;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.SubjectProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Readings and small changes of the mover's generated state ({@link MoverSubject}: profile, every
 * factor ever seen with the time of each lifecycle event (63B-4 4.1), device marks, an open re-bind
 * case, recent event ids), shared by the decisions. Pure static helpers: no outputs.
 */
final class MoverSubjects {

  private MoverSubjects() {}

  /**
   * A working copy of the stored state for a decision to change, with its standing: a new subject's
   * is UNKNOWN, and one of a subject stored by the earlier release is seeded from its own fields.
   */
  static MoverSubject open(String subjectId, MoverSubject stored) {
    MoverSubject copy = copy(subjectId, stored);
    if (copy.getStanding() == null) {
      copy.setStanding(stored == null ? StandingFold.unknown() : seed(copy));
    }
    return copy;
  }

  /** A copy of the stored state (deep: the stored record stays as it was). */
  static MoverSubject copy(String subjectId, MoverSubject stored) {
    if (stored == null) {
      return MoverSubject.newBuilder().setSubjectId(subjectId).setFactors(new ArrayList<>())
          .setDevices(new ArrayList<>()).setTickets(new ArrayList<>()).setRecentEventIds(new ArrayList<>()).build();
    }
    MoverSubject copy = MoverSubject.newBuilder(stored).build();
    // Plain lists: Avro's own array type compares its records without their logical types (Instant).
    copy.setFactors(new ArrayList<>(copy.getFactors()));
    copy.setDevices(new ArrayList<>(copy.getDevices()));
    copy.setTickets(new ArrayList<>(copy.getTickets()));
    copy.setRecentEventIds(new ArrayList<>(copy.getRecentEventIds()));
    return copy;
  }

  /**
   * A working copy for a point update: new lists holding the stored factors and devices, so a
   * decision may add to them or {@linkplain #own replace} one factor, while everything else is
   * shared with the stored record and must not be changed.
   */
  static MoverSubject shallowCopy(String subjectId, MoverSubject stored) {
    if (stored == null) {
      return copy(subjectId, null);
    }
    MoverSubject copy = new MoverSubject();
    copy.setSubjectId(stored.getSubjectId());
    copy.setProfile(stored.getProfile());
    copy.setFactors(new ArrayList<>(stored.getFactors()));
    copy.setDevices(new ArrayList<>(stored.getDevices()));
    copy.setRebind(stored.getRebind());
    copy.setTickets(stored.getTickets());
    copy.setRecentEventIds(new ArrayList<>(stored.getRecentEventIds()));
    copy.setScheduledDue(stored.getScheduledDue());
    copy.setTerminatedAt(stored.getTerminatedAt());
    copy.setStanding(stored.getStanding());
    copy.setAwaitingVerification(stored.getAwaitingVerification());
    return copy;
  }

  /** In a {@link #shallowCopy}, replaces a factor shared with the stored record by a copy of its own. */
  static MoverFactor own(MoverSubject state, MoverFactor shared) {
    List<MoverFactor> factors = state.getFactors();
    for (int i = 0; i < factors.size(); i++) {
      if (factors.get(i) == shared) {
        MoverFactor copy = MoverFactor.newBuilder(shared).build();
        factors.set(i, copy);
        return copy;
      }
    }
    throw new IllegalArgumentException("factor " + shared.getAuthenticatorId() + " is not in the state");
  }

  // --- event ids ---

  static boolean seen(MoverSubject state, String eventId) {
    return state != null && state.getRecentEventIds().contains(eventId);
  }

  /** Remembers an event id, keeping the most recent {@code keep}. */
  static void remember(MoverSubject state, String eventId, int keep) {
    List<String> ids = state.getRecentEventIds();
    ids.add(eventId);
    while (ids.size() > keep) {
      ids.remove(0);
    }
  }

  // --- factors ---

  static MoverFactor factor(MoverSubject state, String authenticatorId) {
    for (MoverFactor factor : state.getFactors()) {
      if (factor.getAuthenticatorId().equals(authenticatorId)) {
        return factor;
      }
    }
    return null;
  }

  /** The factor with this id, recorded now if the registry never heard of it. */
  static MoverFactor record(MoverSubject state, String authenticatorId, FactorType type, Instant now) {
    MoverFactor factor = factor(state, authenticatorId);
    if (factor == null) {
      factor = MoverFactor.newBuilder().setAuthenticatorId(authenticatorId).setStatus(MoverFactorStatus.ACTIVE)
          .setRequested(MoverRequest.NONE).setFirstSeenAt(now).build();
      state.getFactors().add(factor);
    }
    if (factor.getFactorType() == FactorType.UNKNOWN && type != null) {
      factor.setFactorType(type);
    }
    return factor;
  }

  static boolean ended(MoverFactor factor) {
    return factor.getStatus() == MoverFactorStatus.REVOKED || factor.getStatus() == MoverFactorStatus.EXPIRED;
  }

  /** Revoked or expired, or asked to be: it no longer counts as one of the subject's factors. */
  static boolean gone(MoverFactor factor) {
    return ended(factor) || factor.getRequested() == MoverRequest.REVOKE || factor.getRequested() == MoverRequest.EXPIRE;
  }

  /** Can authenticate now: not gone, not suspended and not about to be. */
  static boolean usable(MoverFactor factor) {
    return !gone(factor) && factor.getStatus() == MoverFactorStatus.ACTIVE
        && factor.getRequested() != MoverRequest.SUSPEND;
  }

  /** The last sign of life: use, else binding, else when the registry first heard of it. */
  static Instant lastActivity(MoverFactor factor) {
    Instant last = factor.getBoundAt() == null ? factor.getFirstSeenAt() : factor.getBoundAt();
    Instant used = factor.getLastUsedAt();
    return used != null && used.isAfter(last) ? used : last;
  }

  static void request(MoverFactor factor, MoverRequest request, String commandId, Instant now) {
    factor.setRequested(request);
    factor.setRequestedCommandId(commandId);
    factor.setRequestedAt(now);
  }

  static void clearRequest(MoverFactor factor) {
    request(factor, MoverRequest.NONE, null, null);
  }

  /** Factors bound to the device that still count (not revoked, expired or asked to be). */
  static List<MoverFactor> liveOnDevice(MoverSubject state, String deviceId) {
    return state.getFactors().stream().filter(f -> deviceId.equals(f.getDeviceId()) && !gone(f)).toList();
  }

  /**
   * Whether the IdP named no device for the factor, so it may live on any of the owner's devices: no
   * {@code deviceId}, unless the IdP said the factor is on no device at all (printed codes).
   */
  static boolean unattributed(MoverFactor factor) {
    return (factor.getDeviceId() == null || factor.getDeviceId().isBlank())
        && factor.getDeviceAttribution() != DeviceAttribution.NOT_DEVICE_BOUND;
  }

  static List<FactorType> usableTypes(MoverSubject state) {
    return state.getFactors().stream().filter(MoverSubjects::usable).map(MoverFactor::getFactorType).toList();
  }

  static List<String> ids(List<MoverFactor> factors) {
    return factors.stream().map(MoverFactor::getAuthenticatorId).toList();
  }

  // --- tickets ---

  /** Closed tickets kept beyond the open ones, so a late or repeated use of one is still recognised. */
  static final int KEPT_CLOSED_TICKETS = 8;

  static MoverTicket ticket(MoverSubject state, String ticketId) {
    for (MoverTicket ticket : state.getTickets()) {
      if (ticket.getTicketId().equals(ticketId)) {
        return ticket;
      }
    }
    return null;
  }

  /** Adds a ticket, forgetting the oldest closed ones beyond the bound. */
  static void addTicket(MoverSubject state, MoverTicket ticket) {
    List<MoverTicket> tickets = state.getTickets();
    tickets.add(ticket);
    while (tickets.stream().filter(t -> t.getStatus() != MoverTicketStatus.OPEN).count() > KEPT_CLOSED_TICKETS) {
      tickets.remove(tickets.stream().filter(t -> t.getStatus() != MoverTicketStatus.OPEN).findFirst().orElseThrow());
    }
  }

  // --- devices ---

  /** What MDM said about the device, recorded now if nothing was. */
  static MoverDevice mark(MoverSubject state, String deviceId) {
    MoverDevice mark = device(state, deviceId);
    if (mark == null) {
      mark = MoverDevice.newBuilder().setDeviceId(deviceId).build();
      state.getDevices().add(mark);
    }
    return mark;
  }

  static MoverDevice device(MoverSubject state, String deviceId) {
    for (MoverDevice mark : state.getDevices()) {
      if (mark.getDeviceId().equals(deviceId)) {
        return mark;
      }
    }
    return null;
  }

  /** Lost or stolen and not found since. */
  static boolean lost(MoverDevice mark) {
    return mark.getClearedAt() == null
        && (mark.getBlockedBy() == DeviceEventType.LOST || mark.getBlockedBy() == DeviceEventType.STOLEN);
  }

  /** Wiped or retired and not re-enrolled since. */
  static boolean retired(MoverDevice mark) {
    return mark.getClearedAt() == null
        && (mark.getBlockedBy() == DeviceEventType.WIPED || mark.getBlockedBy() == DeviceEventType.RETIRED);
  }

  static boolean noncompliant(MoverDevice mark) {
    return mark.getNoncompliantEventId() != null;
  }

  /** Whether a factor bound at {@code boundAt} on this device must not live: bound before the device was cleared. */
  static boolean blocks(MoverDevice mark, Instant boundAt) {
    if (mark.getBlockedBy() == null) {
      return false;
    }
    return mark.getClearedAt() == null || boundAt == null || !boundAt.isAfter(mark.getClearedAt());
  }

  static void block(MoverDevice mark, DeviceEventType type, String eventId, Instant at) {
    mark.setBlockedBy(type);
    mark.setBlockedEventId(eventId);
    mark.setBlockedAt(at);
    mark.setRebindDecided(false);
    mark.setClearedAt(null);
  }

  // --- profile ---

  /**
   * The subject as the HR standing now says (what an event leaves out stays as known), with the
   * assurance the policy derives from it, as of the event that last changed it.
   */
  static MoverProfile profile(HrStanding standing, WorkerEvent event, AssurancePolicy policy) {
    SubjectProfile view = Standings.profile(standing);
    return MoverProfile.newBuilder().setRole(standing.getRole()).setPrivileged(standing.getPrivileged())
        .setIdentityType(standing.getIdentityType()).setChannels(List.copyOf(standing.getChannels()))
        .setManagerId(standing.getManagerId()).setRequiredLevel(policy.requiredLevel(view))
        .setPhishingResistant(policy.requiresPhishingResistance(view)).setRestrictedAllowed(policy.allowsRestricted(view))
        .setEventId(event.getEventId()).setEventTime(event.getEventTime()).build();
  }

  /**
   * The standing of a subject written before the standing existed: its profile, and a subject whose
   * clock a leaver stopped is terminated from then (the leaver's own time was not kept here).
   */
  static HrStanding seed(MoverSubject state) {
    MoverProfile p = state.getProfile();
    HrStanding.Builder standing = HrStanding.newBuilder();
    if (p != null) {
      standing.setPhase(HrPhase.ACTIVE).setRole(p.getRole()).setPrivileged(p.getPrivileged())
          .setIdentityType(p.getIdentityType()).setChannels(new ArrayList<>(p.getChannels()))
          .setManagerId(p.getManagerId()).setLastEventId(p.getEventId()).setLastEventTime(p.getEventTime());
    }
    if (state.getTerminatedAt() != null) {
      standing.setPhase(HrPhase.TERMINATED).setTerminatedAt(state.getTerminatedAt());
    }
    return standing.build();
  }

  /** The subject as the policy sees it, or null when no HR event was ever seen. */
  static SubjectProfile view(MoverSubject state) {
    MoverProfile p = state.getProfile();
    return p == null ? null : view(p);
  }

  static SubjectProfile view(MoverProfile p) {
    return new SubjectProfile(p.getIdentityType(), p.getPrivileged(), p.getRole());
  }

  /** The subject's registered channels; the work mailbox when HR never told us. */
  static List<Channel> channels(MoverSubject state) {
    List<Channel> known = state.getProfile() == null ? List.of() : state.getProfile().getChannels();
    return known.isEmpty() ? List.of(Channel.WORK_EMAIL) : known;
  }
}
